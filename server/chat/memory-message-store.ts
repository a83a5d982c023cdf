import {
  NONCE_TTL_MS,
  RETAINED_MESSAGES,
  type Deletion,
  type Message,
  type RoomName,
} from "../../contract/index.js";
import { TokenBucket } from "../realtime/token-bucket.js";
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

interface Room {
  head: number;
  /** The retained messages, ascending; trimmed in slices rather than one by one. */
  messages: Message[];
  deletionHead: number;
  /** The retained deletions, ascending, trimmed like the messages. */
  deletions: Deletion[];
}

const emptyRoom = (): Room => ({ head: 0, messages: [], deletionHead: 0, deletions: [] });

/** Keeps about the newest RETAINED_MESSAGES of a list, never fewer, trimming in slices. */
function trim<T>(list: T[]): void {
  if (list.length > RETAINED_MESSAGES * 1.1) list.splice(0, list.length - RETAINED_MESSAGES);
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
      input.nonce === undefined
        ? undefined
        : `${input.room}|${senderKey(input.user)}|${input.nonce}`;
    const seen = nonceKey === undefined ? undefined : this.nonces.get(nonceKey);
    // The room's copy, a tombstone if it was deleted meanwhile, while it is retained.
    if (seen) {
      const current = this.find(input.room, seen.message.seq);
      return { kind: "duplicate", message: current?.message ?? seen.message };
    }
    if (!this.bucket(senderKey(input.user), rate, now).take()) return { kind: "rate_limited" };

    const room = this.rooms.get(input.room) ?? emptyRoom();
    this.rooms.set(input.room, room);
    const message: Message = {
      room: input.room,
      seq: ++room.head,
      user: { ...input.user },
      text: input.text,
      ts: new Date(now).toISOString(),
    };
    room.messages.push(message);
    trim(room.messages);
    if (nonceKey !== undefined) this.nonces.set(nonceKey, { message, expires: now + NONCE_TTL_MS });
    return { kind: "created", message };
  }

  async history(name: RoomName, query: HistoryQuery): Promise<HistoryPage> {
    const room = this.rooms.get(name);
    if (!room || room.messages.length === 0) {
      return { messages: [], truncated: false, head: 0, deletions: 0 };
    }
    const all = room.messages;
    const oldest = all[0].seq;
    let messages: Message[];
    if (query.since === undefined) {
      messages = all.slice(Math.max(0, all.length - (query.limit ?? all.length)));
    } else {
      const start = Math.max(0, query.since + 1 - oldest);
      messages = all.slice(start, query.limit === undefined ? undefined : start + query.limit);
    }
    return {
      messages,
      truncated: isTruncated(query, messages, oldest),
      head: room.head,
      deletions: room.deletionHead,
    };
  }

  async heads(rooms: readonly RoomName[]): Promise<Map<RoomName, number>> {
    return new Map(rooms.map((room) => [room, this.rooms.get(room)?.head ?? 0]));
  }

  async delete(name: RoomName, seq: number): Promise<DeleteResult> {
    const found = this.find(name, seq);
    if (!found) return { kind: "not_found" };
    const { room, index, message } = found;
    if (message.deleted) return { kind: "unchanged" };
    // A new object: the old one may still be held by a relay or a nonce.
    room.messages[index] = tombstone(message);
    const deletion: Deletion = {
      room: name,
      seq,
      position: ++room.deletionHead,
      ts: new Date().toISOString(),
    };
    room.deletions.push(deletion);
    trim(room.deletions);
    return { kind: "deleted", deletion };
  }

  async deletionsAfter(name: RoomName, position: number): Promise<Deletion[]> {
    return (this.rooms.get(name)?.deletions ?? []).filter((d) => d.position > position);
  }

  async deletionHeads(rooms: readonly RoomName[]): Promise<Map<RoomName, number>> {
    return new Map(rooms.map((room) => [room, this.rooms.get(room)?.deletionHead ?? 0]));
  }

  /** A retained message; the list is gap-free, so its index follows from its seq. */
  private find(name: RoomName, seq: number) {
    const room = this.rooms.get(name);
    const oldest = room?.messages[0]?.seq;
    if (!room || oldest === undefined) return undefined;
    const index = seq - oldest;
    const message = room.messages[index];
    return message ? { room, index, message } : undefined;
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
