import {
  NONCE_TTL_MS,
  RETAINED_MESSAGES,
  type ChatUser,
  type Message,
  type RoomName,
} from "../../contract/index.js";
import { LuaScript } from "../redis/lua-script.js";
import type { RedisClient } from "../redis/types.js";
import {
  isTruncated,
  type AppendInput,
  type AppendResult,
  type ChatRate,
  type HistoryPage,
  type HistoryQuery,
  type MessageStore,
} from "./message-store.js";

/**
 * One atomic step per send: a known nonce returns its first message; else
 * the user's token bucket (Redis time, so every instance shares one clock)
 * must hold a token; then the room's counter gives the next seq and the
 * message is appended to the room's stream under the id `<seq>-0`, trimmed
 * to about the newest RETAINED_MESSAGES (never fewer).
 *
 * KEYS: seqs hash, room stream, nonce hash, bucket hash
 * ARGV: room, user id, user name, text, per second, burst, nonce ttl ms, retained, has nonce
 */
const append = new LuaScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local hasNonce = ARGV[9] == '1'
if hasNonce then
  local seen = redis.call('HMGET', KEYS[3], 'seq', 'name', 'text', 'ts')
  if seen[1] then return {1, tonumber(seen[1]), seen[2], seen[3], tonumber(seen[4])} end
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
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[8], seq .. '-0', 'u', ARGV[2], 'n', ARGV[3], 't', ARGV[4], 'ts', now)
if hasNonce then
  redis.call('HSET', KEYS[3], 'seq', seq, 'name', ARGV[3], 'text', ARGV[4], 'ts', now)
  redis.call('PEXPIRE', KEYS[3], ARGV[7])
end
return {0, seq, ARGV[3], ARGV[4], now}
`);

/**
 * The head, the page and the oldest retained seq, read at one instant.
 *
 * KEYS: seqs hash, room stream
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
return {head, first, entries}
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
        `${this.prefix}nonce:${room}|${user.id}|${nonce ?? ""}`,
        `${this.prefix}chat-rate:${user.id}`,
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
      ],
    )) as [number, number?, string?, string?, number?];
    const [kind, seq, name, storedText, ts] = reply;
    if (kind === 2) return { kind: "rate_limited" };
    const message = toMessage(room, seq!, { id: user.id, name: name! }, storedText!, ts!);
    return { kind: kind === 1 ? "duplicate" : "created", message };
  }

  async history(room: RoomName, query: HistoryQuery): Promise<HistoryPage> {
    const [head, first, entries] = (await history.run(
      this.client,
      [this.seqsKey, this.streamKey(room)],
      [room, query.since ?? "", query.limit ?? ""],
    )) as [number, string | number, StreamEntry[]];
    const messages = entries.map((entry) => fromEntry(room, entry));
    if (query.since === undefined) messages.reverse();
    const oldest = first === 0 ? 0 : seqOf(String(first));
    return { messages, truncated: isTruncated(query, messages, oldest), head };
  }

  async heads(rooms: readonly RoomName[]): Promise<Map<RoomName, number>> {
    if (rooms.length === 0) return new Map();
    const raws = await this.client.hmGet(this.seqsKey, [...rooms]);
    return new Map(rooms.map((room, i) => [room, Number(raws[i] ?? 0)]));
  }

  private streamKey(room: RoomName): string {
    return `${this.prefix}room:${room}`;
  }
}

const seqOf = (id: string) => Number(id.slice(0, id.indexOf("-")));

function fromEntry(room: RoomName, [id, fields]: StreamEntry): Message {
  const value: Record<string, string> = {};
  for (let i = 0; i < fields.length; i += 2) value[fields[i]!] = fields[i + 1]!;
  return toMessage(room, seqOf(id), { id: value.u!, name: value.n! }, value.t!, Number(value.ts));
}

function toMessage(room: RoomName, seq: number, user: ChatUser, text: string, ts: number): Message {
  return { room, seq, user, text, ts: new Date(ts).toISOString() };
}
