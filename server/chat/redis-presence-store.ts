import type { RoomName } from "../../contract/index.js";
import { LuaScript } from "../redis/lua-script.js";
import type { RedisClient } from "../redis/types.js";
import type { PresenceCount, PresenceStore } from "./presence-store.js";

/** Sums the counts of a room's hash over instances that beat within the TTL. */
const LIVE_TOTAL = `
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function live_total(room_key, instances_key, cutoff)
  local total = 0
  local fields = redis.call('HGETALL', room_key)
  for i = 1, #fields, 2 do
    local beat = redis.call('ZSCORE', instances_key, fields[i])
    if beat and tonumber(beat) >= cutoff then total = total + tonumber(fields[i + 1]) end
  end
  return total
end
`;

/**
 * KEYS: room hash, versions hash, instances zset, this instance's rooms set
 * ARGV: room, instance id, count ('' keeps it), ttl ms
 */
const setCount = new LuaScript(`${LIVE_TOTAL}
local now = now_ms()
redis.call('ZADD', KEYS[3], now, ARGV[2])
if ARGV[3] ~= '' then
  if tonumber(ARGV[3]) > 0 then
    redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
    redis.call('SADD', KEYS[4], ARGV[1])
  else
    redis.call('HDEL', KEYS[1], ARGV[2])
    redis.call('SREM', KEYS[4], ARGV[1])
  end
end
local total = live_total(KEYS[1], KEYS[3], now - tonumber(ARGV[4]))
return {total, redis.call('HINCRBY', KEYS[2], ARGV[1], 1)}
`);

/** KEYS: instances zset. ARGV: instance id. Answers 1 when the instance was not known. */
const beat = new LuaScript(`${LIVE_TOTAL}
return redis.call('ZADD', KEYS[1], now_ms(), ARGV[1])
`);

/** KEYS: instances zset. ARGV: ttl ms. Answers the instances silent for longer than the TTL. */
const silentInstances = new LuaScript(`${LIVE_TOTAL}
return redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. (now_ms() - tonumber(ARGV[1])))
`);

/** Per-room hashes of instance counts, and a sorted set of instance heartbeats. */
export class RedisPresenceStore implements PresenceStore {
  private readonly instancesKey: string;

  constructor(
    private readonly client: RedisClient,
    private readonly prefix: string,
    private readonly instanceId: string,
    private readonly ttlMs: number,
  ) {
    this.instancesKey = `${prefix}instances`;
  }

  async set(room: RoomName, count: number | null): Promise<PresenceCount> {
    const [online, version] = (await setCount.run(
      this.client,
      [this.roomKey(room), `${this.prefix}presence-versions`, this.instancesKey, this.roomsKey()],
      [room, this.instanceId, count ?? "", this.ttlMs],
    )) as [number, number];
    return { online, version };
  }

  async heartbeat(): Promise<boolean> {
    return (await beat.run(this.client, [this.instancesKey], [this.instanceId])) === 1;
  }

  async reap(): Promise<RoomName[]> {
    const silent = (await silentInstances.run(
      this.client,
      [this.instancesKey],
      [this.ttlMs],
    )) as string[];
    const touched = await Promise.all(silent.map((id) => this.forget(id)));
    return touched.flat();
  }

  async retire(): Promise<void> {
    await this.forget(this.instanceId);
  }

  /**
   * Removes an instance and its counts; answers the rooms it was counted in.
   * Whoever removes it from the instances set does the rest, so concurrent
   * reapers never report a room twice; counts left behind by one that stops
   * midway are of an instance no total includes any more.
   */
  private async forget(id: string): Promise<RoomName[]> {
    if ((await this.client.zRem(this.instancesKey, id)) === 0) return [];
    const roomsKey = this.roomsKey(id);
    const rooms = await this.client.sMembers(roomsKey);
    await Promise.all(rooms.map((room) => this.client.hDel(this.roomKey(room), id)));
    await this.client.del(roomsKey);
    return rooms;
  }

  private roomKey(room: RoomName): string {
    return `${this.prefix}presence:${room}`;
  }

  private roomsKey(id = this.instanceId): string {
    return `${this.prefix}instance-rooms:${id}`;
  }
}
