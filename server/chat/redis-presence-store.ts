import type { RoomName } from "../../contract/index.js";
import { hashTag } from "../redis/hash-tag.js";
import { LuaScript } from "../redis/lua-script.js";
import type { RedisCommands } from "../redis/types.js";
import type { PresenceCount, PresenceStore } from "./presence-store.js";

/**
 * KEYS: room hash (instance id -> "count:expiresAtMs"), room version
 * ARGV: instance id, count ('' keeps a live one), ttl ms
 *
 * Expiry is judged by the clock of the room's own shard, so instances need
 * no common clock and a silent instance drops out of the total without
 * anyone reaping it. Both keys live a TTL past the last write (every
 * instance has the same TTL): no entry outlives them, and a room nobody
 * counts in any more leaves nothing behind. Versions start from that clock,
 * so they keep growing when the keys expired or Redis restarted.
 */
const setCount = new LuaScript(`
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local id, count, ttl = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local total = 0
local entries = redis.call('HGETALL', KEYS[1])
for i = 1, #entries, 2 do
  local n, expires = string.match(entries[i + 1], '^(%d+):(%d+)$')
  if tonumber(expires) <= now then
    redis.call('HDEL', KEYS[1], entries[i])
  elseif entries[i] == id then
    count = count or tonumber(n)
  else
    total = total + tonumber(n)
  end
end
if count and count > 0 then
  redis.call('HSET', KEYS[1], id, count .. ':' .. (now + ttl))
  redis.call('PEXPIRE', KEYS[1], ttl)
  total = total + count
else
  redis.call('HDEL', KEYS[1], id)
end
local version = math.max(tonumber(redis.call('GET', KEYS[2]) or 0) + 1, now)
redis.call('SET', KEYS[2], version, 'PX', ttl)
return {total, version}
`);

/**
 * Per room, one hash slot: each instance's count with its own expiry, and
 * the room's version. Per instance: a key saying it is alive, so it learns
 * when Redis forgot it. No command or script touches keys of both.
 */
export class RedisPresenceStore implements PresenceStore {
  /** Where this instance set a count: what it must take back when it retires. */
  private readonly counted = new Set<RoomName>();
  private readonly aliveKey: string;

  constructor(
    private readonly client: RedisCommands,
    private readonly prefix: string,
    private readonly instanceId: string,
    private readonly ttlMs: number,
  ) {
    this.aliveKey = `${prefix}presence-alive:${hashTag(instanceId)}`;
  }

  async set(room: RoomName, count: number | null): Promise<PresenceCount> {
    if (count === 0) this.counted.delete(room);
    else if (count !== null) this.counted.add(room);
    const tag = hashTag(room);
    const [online, version] = (await setCount.run(
      this.client,
      [`${this.prefix}presence:${tag}`, `${this.prefix}presence-version:${tag}`],
      [this.instanceId, count ?? "", this.ttlMs],
    )) as [number, number];
    return { online, version };
  }

  async heartbeat(): Promise<boolean> {
    const before = await this.client.set(this.aliveKey, "1", {
      expiration: { type: "PX", value: this.ttlMs },
      GET: true,
    });
    return before === null;
  }

  async retire(): Promise<void> {
    await Promise.all([
      ...[...this.counted].map((room) => this.set(room, 0)),
      this.client.del(this.aliveKey),
    ]);
  }
}
