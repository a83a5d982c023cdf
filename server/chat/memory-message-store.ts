import {
  NONCE_TTL_MS,
  RETAINED_MESSAGES,
  type Message,
  type RoomName,
} from "../../contract/index.js";
import { TokenBucket } from "../realtime/token-bucket.js";
import {
  isTruncated,
  type AppendInput,
  type AppendResult,
  type ChatRate,
  type HistoryPage,
  type HistoryQuery,
  type MessageStore,
} from "./message-store.js";

interface Room {
  head: number;
  /** The retained messages, ascending; trimmed in slices rather than one by one. */
  messages: Message[];
}

interface Remembered {
  message: Message;
  expires: number;
}

/** Chat rooms in this process's memory: the single-instance default. */
export class MemoryMessageStore implements MessageStore {
  private readonly rooms = new Map<RoomName, Room>();
  /** Insertion order is expiry order: the TTL is the same for all. */
  private readonly nonces = new Map<string, Remembered>();
  /** Least recently used first, so idle buckets are found at the front. */
  private readonly buckets = new Map<string, { bucket: TokenBucket; used: number }>();

  async append(input: AppendInput, rate: ChatRate): Promise<AppendResult> {
    const now = Date.now();
    this.forgetExpired(now, rate);
    const nonceKey =
      input.nonce === undefined ? undefined : `${input.room}|${input.user.id}|${input.nonce}`;
    const seen = nonceKey === undefined ? undefined : this.nonces.get(nonceKey);
    if (seen) return { kind: "duplicate", message: seen.message };
    if (!this.bucket(input.user.id, rate, now).take()) return { kind: "rate_limited" };

    const room = this.rooms.get(input.room) ?? { head: 0, messages: [] };
    this.rooms.set(input.room, room);
    const message: Message = {
      room: input.room,
      seq: ++room.head,
      user: { ...input.user },
      text: input.text,
      ts: new Date(now).toISOString(),
    };
    room.messages.push(message);
    if (room.messages.length > RETAINED_MESSAGES * 1.1) {
      room.messages.splice(0, room.messages.length - RETAINED_MESSAGES);
    }
    if (nonceKey !== undefined) this.nonces.set(nonceKey, { message, expires: now + NONCE_TTL_MS });
    return { kind: "created", message };
  }

  async history(name: RoomName, query: HistoryQuery): Promise<HistoryPage> {
    const room = this.rooms.get(name);
    if (!room || room.messages.length === 0) return { messages: [], truncated: false, head: 0 };
    const all = room.messages;
    const oldest = all[0]!.seq;
    let messages: Message[];
    if (query.since === undefined) {
      messages = all.slice(Math.max(0, all.length - (query.limit ?? all.length)));
    } else {
      const start = Math.max(0, query.since + 1 - oldest);
      messages = all.slice(start, query.limit === undefined ? undefined : start + query.limit);
    }
    return { messages, truncated: isTruncated(query, messages, oldest), head: room.head };
  }

  async heads(rooms: readonly RoomName[]): Promise<Map<RoomName, number>> {
    return new Map(rooms.map((room) => [room, this.rooms.get(room)?.head ?? 0]));
  }

  private bucket(userId: string, rate: ChatRate, now: number): TokenBucket {
    const entry = this.buckets.get(userId) ?? {
      bucket: new TokenBucket(rate.perSecond, rate.burst),
      used: now,
    };
    this.buckets.delete(userId);
    entry.used = now;
    this.buckets.set(userId, entry);
    return entry.bucket;
  }

  /** Drops expired nonces and buckets idle long enough to be full again. */
  private forgetExpired(now: number, rate: ChatRate): void {
    for (const [key, remembered] of this.nonces) {
      if (remembered.expires > now) break;
      this.nonces.delete(key);
    }
    const refillMs = (rate.burst / rate.perSecond) * 1000;
    for (const [userId, entry] of this.buckets) {
      if (now - entry.used < refillMs) break;
      this.buckets.delete(userId);
    }
  }
}
