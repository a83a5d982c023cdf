import {
  NONCE_TTL_MS,
  RETAINED_MESSAGES,
  type ChatUser,
  type Deletion,
  type Message,
  type RoomName,
} from "../../contract/index.js";
import { hashTag } from "../redis/hash-tag.js";
import { LuaScript } from "../redis/lua-script.js";
import { primaryOnly, type RedisCommands, type Replicated } from "../redis/types.js";
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

/** Lua: `now`, Redis's clock in ms, so every instance shares one clock. */
const NOW = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
`;

/**
 * Lua: `firstOf(nonce, tombstones)`, the first message of a known nonce as a
 * duplicate (its tombstone if deleted meanwhile), or nil.
 */
const FIRST_OF = `
local function firstOf(nonceKey, tombstonesKey)
  local seen = redis.call('HMGET', nonceKey, 'seq', 'name', 'text', 'ts', 'v')
  if not seen[1] then return nil end
  local deleted = redis.call('ZSCORE', tombstonesKey, seen[1]) and '1' or '0'
  return {1, tonumber(seen[1]), seen[2], seen[3], tonumber(seen[4]), seen[5] or '0', deleted}
end
`;

/**
 * The first message of a known nonce, or nil.
 *
 * KEYS: nonce hash, room tombstones
 */
const firstOfNonce = new LuaScript(`${FIRST_OF}
return firstOf(KEYS[1], KEYS[2])
`);

/**
 * Takes a token from the user's bucket, answering 1, or answers 0 when it is
 * empty.
 *
 * KEYS: bucket hash
 * ARGV: per second, burst
 */
const takeToken = new LuaScript(`${NOW}
local rate, burst = tonumber(ARGV[1]), tonumber(ARGV[2])
local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(bucket[1]) or burst
local last = tonumber(bucket[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - last) * rate / 1000)
if tokens < 1 then return 0 end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens - 1), 'ts', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return 1
`);

/**
 * Unless the nonce (when given) is known by now, the room's counter gives the
 * next seq and the message is appended to the room's stream under the id
 * `<seq>-0`, trimmed to about the newest RETAINED_MESSAGES (never fewer).
 *
 * KEYS: room seq, room stream, room tombstones[, nonce hash]
 * ARGV: user id, user name, text, verified ('1' or '0'), nonce ttl ms, retained
 */
const append = new LuaScript(`${NOW}${FIRST_OF}
local nonceKey = KEYS[4]
if nonceKey then
  local duplicate = firstOf(nonceKey, KEYS[3])
  if duplicate then return duplicate end
end
local seq = redis.call('INCR', KEYS[1])
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[6], seq .. '-0', 'u', ARGV[1], 'n', ARGV[2], 't', ARGV[3], 'ts', now, 'v', ARGV[4])
if nonceKey then
  redis.call('HSET', nonceKey, 'seq', seq, 'name', ARGV[2], 'text', ARGV[3], 'ts', now, 'v', ARGV[4])
  redis.call('PEXPIRE', nonceKey, ARGV[5])
end
return {0, seq, ARGV[2], ARGV[3], now, ARGV[4], '0'}
`);

/**
 * The head, the page, the oldest retained seq, the tombstones among the page
 * and the deletion head, read at one instant.
 *
 * KEYS: room seq, room stream, room tombstones, room deletion head
 * ARGV: since ('' for the newest), limit ('' for all)
 */
const history = new LuaScript(`
local head = tonumber(redis.call('GET', KEYS[1]) or '0')
local count = {}
if ARGV[2] ~= '' then count = {'COUNT', ARGV[2]} end
local entries
if ARGV[1] == '' then
  entries = redis.call('XREVRANGE', KEYS[2], '+', '-', unpack(count))
else
  entries = redis.call('XRANGE', KEYS[2], '(' .. ARGV[1] .. '-0', '+', unpack(count))
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
local deletions = tonumber(redis.call('GET', KEYS[4]) or '0')
return {head, first, entries, deleted, deletions}
`);

/**
 * Turns a retained message into a tombstone and logs the deletion under the
 * next position of the room, trimmed like the messages. Tombstones of
 * messages the stream no longer keeps are dropped on the way.
 *
 * KEYS: room stream, room tombstones, room deletion head, room deletion log
 * ARGV: seq, retained
 */
const remove = new LuaScript(`
local id = ARGV[1] .. '-0'
if not redis.call('XRANGE', KEYS[1], id, id)[1] then return {0} end
if redis.call('ZADD', KEYS[2], ARGV[1], ARGV[1]) == 0 then return {1} end
local oldest = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)[1][1]
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. string.match(oldest, '^%d+'))
${NOW}
local position = redis.call('INCR', KEYS[3])
redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[2], position .. '-0', 's', ARGV[1], 'ts', now)
return {2, position, now}
`);

type StreamEntry = [id: string, fields: string[]];

/** A message as the nonce check and the append script answer it. */
type StoredReply = [
  kind: 0 | 1,
  seq: number,
  name: string,
  text: string,
  ts: number,
  verified: string,
  deleted: string,
];

/**
 * Chat rooms in Redis. Every key of a room shares the room's hash tag, and a
 * user's rate bucket has the user's own, so in a Redis Cluster each script
 * stays on one shard.
 */
export class RedisMessageStore implements MessageStore {
  constructor(
    private readonly client: RedisCommands,
    private readonly prefix: string,
    private readonly replicated: Replicated = primaryOnly,
  ) {}

  /**
   * Three steps, because the room's keys and the user's bucket live in
   * different hash slots (one script cannot touch both in a cluster), and a
   * known nonce must answer before a token is spent: (1) the nonce, on the
   * room's slot; (2) a token, on the user's slot; (3) the append, which
   * checks the nonce again, so a concurrent retry that won the race between
   * (1) and (3) is answered as a duplicate rather than posted twice.
   */
  async append(input: AppendInput, rate: ChatRate): Promise<AppendResult> {
    const { room, user, text, nonce } = input;
    const tombstones = this.key(room, "deleted");
    // Room names and sender keys never contain "|", so the key is unambiguous.
    const nonceKey =
      nonce === undefined
        ? undefined
        : `${this.prefix}nonce:${hashTag(room)}|${senderKey(user)}|${nonce}`;
    if (nonceKey !== undefined) {
      const seen = (await firstOfNonce.run(
        this.client,
        [nonceKey, tombstones],
        [],
      )) as StoredReply | null;
      if (seen) return toAppendResult(room, user.id, seen);
    }
    const bucket = `${this.prefix}chat-rate:${hashTag(senderKey(user))}`;
    if ((await takeToken.run(this.client, [bucket], [rate.perSecond, rate.burst])) === 0) {
      return { kind: "rate_limited" };
    }
    const stream = this.key(room, "stream");
    const keys = [this.key(room, "seq"), stream, tombstones];
    if (nonceKey !== undefined) keys.push(nonceKey);
    const reply = (await append.run(this.client, keys, [
      user.id,
      user.name,
      text,
      user.verified ? "1" : "0",
      NONCE_TTL_MS,
      RETAINED_MESSAGES,
    ])) as StoredReply;
    if (reply[0] === 0) await this.replicated(stream);
    return toAppendResult(room, user.id, reply);
  }

  async history(room: RoomName, query: HistoryQuery): Promise<HistoryPage> {
    const [head, first, entries, deletedSeqs, deletions] = (await history.run(
      this.client,
      [
        this.key(room, "seq"),
        this.key(room, "stream"),
        this.key(room, "deleted"),
        this.key(room, "deletion-head"),
      ],
      [query.since ?? "", query.limit ?? ""],
    )) as [number, string | number, StreamEntry[], string[], number];
    const deleted = new Set(deletedSeqs.map(Number));
    const messages = entries.map((entry) => fromEntry(room, entry, deleted));
    if (query.since === undefined) messages.reverse();
    const oldest = first === 0 ? 0 : seqOf(String(first));
    return { messages, truncated: isTruncated(query, messages, oldest), head, deletions };
  }

  heads(rooms: readonly RoomName[]): Promise<Map<RoomName, number>> {
    return this.counters(rooms, "seq");
  }

  async delete(room: RoomName, seq: number): Promise<DeleteResult> {
    const log = this.key(room, "deletions");
    const [kind, position, ts] = (await remove.run(
      this.client,
      [this.key(room, "stream"), this.key(room, "deleted"), this.key(room, "deletion-head"), log],
      [seq, RETAINED_MESSAGES],
    )) as [number, number?, number?];
    if (kind === 0) return { kind: "not_found" };
    if (kind === 1) return { kind: "unchanged" };
    await this.replicated(log);
    return { kind: "deleted", deletion: toDeletion(room, position!, seq, ts!) };
  }

  async deletionsAfter(room: RoomName, position: number): Promise<Deletion[]> {
    const entries = await this.client.xRange(this.key(room, "deletions"), `(${position}-0`, "+");
    return entries.map(({ id, message }) =>
      toDeletion(room, seqOf(id), Number(message.s), Number(message.ts)),
    );
  }

  deletionHeads(rooms: readonly RoomName[]): Promise<Map<RoomName, number>> {
    return this.counters(rooms, "deletion-head");
  }

  /**
   * One GET per room (a counter of each room lives in its own slot), issued
   * together; a room whose shard does not answer is left out.
   */
  private async counters(
    rooms: readonly RoomName[],
    counter: "seq" | "deletion-head",
  ): Promise<Map<RoomName, number>> {
    const reads = await Promise.allSettled(
      rooms.map((room) => this.client.get(this.key(room, counter))),
    );
    return new Map(
      rooms.flatMap((room, i) => {
        const read = reads[i];
        return read.status === "fulfilled" ? [[room, Number(read.value ?? 0)]] : [];
      }),
    );
  }

  /**
   * A key of the room: `seq` and `deletion-head` are counters, `stream` holds
   * the messages under ids `<seq>-0`, `deleted` the seqs of the retained
   * tombstones (a sorted set), `deletions` the deletion log under ids
   * `<position>-0` (a stream).
   */
  private key(room: RoomName, part: "seq" | "stream" | "deleted" | "deletions" | "deletion-head") {
    return `${this.prefix}room:${hashTag(room)}:${part}`;
  }
}

const seqOf = (id: string) => Number(id.slice(0, id.indexOf("-")));

function toAppendResult(
  room: RoomName,
  userId: string,
  [kind, seq, name, text, ts, verified, deleted]: StoredReply,
): AppendResult {
  const message = toMessage(room, seq, toUser(userId, name, verified), text, ts, deleted === "1");
  return { kind: kind === 1 ? "duplicate" : "created", message };
}

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
