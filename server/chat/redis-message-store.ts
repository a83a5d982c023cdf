import {
  NONCE_TTL_MS,
  RETAINED_MESSAGES,
  type ChatUser,
  type Deletion,
  type Message,
  type RoomName,
} from "../../contract/index.js";
import { LuaScript } from "../redis/lua-script.js";
import type { RedisClient } from "../redis/types.js";
import {
  isTruncated,
  senderKey,
  type AppendInput,
  type AppendResult,
  type ChatRate,
  type DeleteResult,
  type HistoryPage,
  type HistoryQuery,
  type MessageStore,
  tombstone,
} from "./message-store.js";

/**
 * One atomic step per send: a known nonce returns its first message; else
 * the user's token bucket (Redis time, so every instance shares one clock)
 * must hold a token; then the room's counter gives the next seq and the
 * message is appended to the room's stream under the id `<seq>-0`, trimmed
 * to about the newest RETAINED_MESSAGES (never fewer).
 *
 * A retried nonce of a message deleted meanwhile answers its tombstone.
 *
 * KEYS: seqs hash, room stream, nonce hash, bucket hash, room tombstones
 * ARGV: room, user id, user name, text, per second, burst, nonce ttl ms, retained, has nonce,
 *       verified ('1' or '0')
 */
const append = new LuaScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local hasNonce = ARGV[9] == '1'
if hasNonce then
  local seen = redis.call('HMGET', KEYS[3], 'seq', 'name', 'text', 'ts', 'v')
  if seen[1] then
    local deleted = redis.call('ZSCORE', KEYS[5], seen[1]) and '1' or '0'
    return {1, tonumber(seen[1]), seen[2], seen[3], tonumber(seen[4]), seen[5] or '0', deleted}
  end
end
local rate, burst = tonumber(ARGV[5]), tonumber(ARGV[6])
local bucket = redis.call('HMGET', KEYS[4], 'tokens', 'ts')
local tokens = tonumber(bucket[1]) or burst
local last = tonumber(bucket[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - last) * rate / 1000)
if tokens < 1 then return {2} end
redis.call('HSET', KEYS[4], 'tokens', tostring(tokens - 1), 'ts', now)
redis.call('PEXPIRE', KEYS[4], math.ceil(burst / rate * 1000) + 1000)
local seq = redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[8], seq .. '-0', 'u', ARGV[2], 'n', ARGV[3], 't', ARGV[4], 'ts', now, 'v', ARGV[10])
if hasNonce then
  redis.call('HSET', KEYS[3], 'seq', seq, 'name', ARGV[3], 'text', ARGV[4], 'ts', now, 'v', ARGV[10])
  redis.call('PEXPIRE', KEYS[3], ARGV[7])
end
return {0, seq, ARGV[3], ARGV[4], now, ARGV[10], '0'}
`);

/**
 * The head, the page, the oldest retained seq, the tombstones among the page
 * and the deletion head, read at one instant.
 *
 * KEYS: seqs hash, room stream, room tombstones, deletion heads hash
 * ARGV: room, since ('' for the newest), limit ('' for all)
 */
const history = new LuaScript(`
local head = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
local count = {}
if ARGV[3] ~= '' then count = {'COUNT', ARGV[3]} end
local entries
if ARGV[2] == '' then
  entries = redis.call('XREVRANGE', KEYS[2], '+', '-', unpack(count))
else
  entries = redis.call('XRANGE', KEYS[2], '(' .. ARGV[2] .. '-0', '+', unpack(count))
end
local oldest = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', 1)
local first = 0
if oldest[1] then first = oldest[1][1] end
local deleted = {}
if redis.call('EXISTS', KEYS[3]) == 1 then
  for _, entry in ipairs(entries) do
    local seq = string.match(entry[1], '^%d+')
    if redis.call('ZSCORE', KEYS[3], seq) then deleted[#deleted + 1] = seq end
  end
end
local deletions = tonumber(redis.call('HGET', KEYS[4], ARGV[1]) or '0')
return {head, first, entries, deleted, deletions}
`);

/**
 * Turns a retained message into a tombstone and logs the deletion under the
 * next position of the room, trimmed like the messages. Tombstones of
 * messages the stream no longer keeps are dropped on the way.
 *
 * KEYS: room stream, room tombstones, deletion heads hash, room deletion log
 * ARGV: room, seq, retained
 */
const remove = new LuaScript(`
local id = ARGV[2] .. '-0'
if not redis.call('XRANGE', KEYS[1], id, id)[1] then return {0} end
if redis.call('ZADD', KEYS[2], ARGV[2], ARGV[2]) == 0 then return {1} end
local oldest = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)[1][1]
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. string.match(oldest, '^%d+'))
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local position = redis.call('HINCRBY', KEYS[3], ARGV[1], 1)
redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[3], position .. '-0', 's', ARGV[2], 'ts', now)
return {2, position, now}
`);

type StreamEntry = [id: string, fields: string[]];

/** Chat rooms in Redis: a counter per room and a capped stream of its messages. */
export class RedisMessageStore implements MessageStore {
  private readonly seqsKey: string;

  constructor(
    private readonly client: RedisClient,
    private readonly prefix: string,
  ) {
    this.seqsKey = `${prefix}room-seqs`;
  }

  async append(input: AppendInput, rate: ChatRate): Promise<AppendResult> {
    const { room, user, text, nonce } = input;
    const reply = (await append.run(
      this.client,
      [
        this.seqsKey,
        this.streamKey(room),
        // Room names and user ids never contain "|", so the key is unambiguous.
        `${this.prefix}nonce:${room}|${senderKey(user)}|${nonce ?? ""}`,
        `${this.prefix}chat-rate:${senderKey(user)}`,
        this.tombstonesKey(room),
      ],
      [
        room,
        user.id,
        user.name,
        text,
        rate.perSecond,
        rate.burst,
        NONCE_TTL_MS,
        RETAINED_MESSAGES,
        nonce === undefined ? "0" : "1",
        user.verified ? "1" : "0",
      ],
    )) as [number, number?, string?, string?, number?, string?, string?];
    const [kind, seq, name, storedText, ts, verified, deleted] = reply;
    if (kind === 2) return { kind: "rate_limited" };
    const sender = toUser(user.id, name!, verified);
    const message = toMessage(room, seq!, sender, storedText!, ts!, deleted === "1");
    return { kind: kind === 1 ? "duplicate" : "created", message };
  }

  async history(room: RoomName, query: HistoryQuery): Promise<HistoryPage> {
    const [head, first, entries, deletedSeqs, deletions] = (await history.run(
      this.client,
      [this.seqsKey, this.streamKey(room), this.tombstonesKey(room), this.deletionHeadsKey],
      [room, query.since ?? "", query.limit ?? ""],
    )) as [number, string | number, StreamEntry[], string[], number];
    const deleted = new Set(deletedSeqs.map(Number));
    const messages = entries.map((entry) => fromEntry(room, entry, deleted));
    if (query.since === undefined) messages.reverse();
    const oldest = first === 0 ? 0 : seqOf(String(first));
    return { messages, truncated: isTruncated(query, messages, oldest), head, deletions };
  }

  async heads(rooms: readonly RoomName[]): Promise<Map<RoomName, number>> {
    if (rooms.length === 0) return new Map();
    const raws = await this.client.hmGet(this.seqsKey, [...rooms]);
    return new Map(rooms.map((room, i) => [room, Number(raws[i] ?? 0)]));
  }

  async delete(room: RoomName, seq: number): Promise<DeleteResult> {
    const [kind, position, ts] = (await remove.run(
      this.client,
      [
        this.streamKey(room),
        this.tombstonesKey(room),
        this.deletionHeadsKey,
        this.deletionLogKey(room),
      ],
      [room, seq, RETAINED_MESSAGES],
    )) as [number, number?, number?];
    if (kind === 0) return { kind: "not_found" };
    if (kind === 1) return { kind: "unchanged" };
    return { kind: "deleted", deletion: toDeletion(room, position!, seq, ts!) };
  }

  async deletionsAfter(room: RoomName, position: number): Promise<Deletion[]> {
    const entries = await this.client.xRange(this.deletionLogKey(room), `(${position}-0`, "+");
    return entries.map(({ id, message }) =>
      toDeletion(room, seqOf(id), Number(message.s), Number(message.ts)),
    );
  }

  async deletionHeads(rooms: readonly RoomName[]): Promise<Map<RoomName, number>> {
    if (rooms.length === 0) return new Map();
    const raws = await this.client.hmGet(this.deletionHeadsKey, [...rooms]);
    return new Map(rooms.map((room, i) => [room, Number(raws[i] ?? 0)]));
  }

  private get deletionHeadsKey(): string {
    return `${this.prefix}room-deletion-heads`;
  }

  private streamKey(room: RoomName): string {
    return `${this.prefix}room:${room}`;
  }

  /** The seqs of the room's retained messages that are tombstones (a sorted set). */
  private tombstonesKey(room: RoomName): string {
    return `${this.prefix}room-deleted:${room}`;
  }

  /** The room's deletions under ids `<position>-0` (a stream). */
  private deletionLogKey(room: RoomName): string {
    return `${this.prefix}room-deletions:${room}`;
  }
}

const seqOf = (id: string) => Number(id.slice(0, id.indexOf("-")));

function fromEntry(room: RoomName, [id, fields]: StreamEntry, deleted: Set<number>): Message {
  const value: Record<string, string> = {};
  for (let i = 0; i < fields.length; i += 2) value[fields[i]] = fields[i + 1]!;
  const seq = seqOf(id);
  const user = toUser(value.u, value.n, value.v);
  return toMessage(room, seq, user, value.t, Number(value.ts), deleted.has(seq));
}

const toUser = (id: string, name: string, verified: string | undefined): ChatUser =>
  verified === "1" ? { id, name, verified: true } : { id, name };

function toMessage(
  room: RoomName,
  seq: number,
  user: ChatUser,
  text: string,
  ts: number,
  deleted: boolean,
): Message {
  const message = { room, seq, user, text, ts: new Date(ts).toISOString() };
  return deleted ? tombstone(message) : message;
}

const toDeletion = (room: RoomName, position: number, seq: number, ts: number): Deletion => ({
  room,
  seq,
  position,
  ts: new Date(ts).toISOString(),
});
