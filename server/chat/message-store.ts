import type { ChatUser, Deletion, Message, RoomName } from "../../contract/index.js";

export interface AppendInput {
  room: RoomName;
  user: ChatUser;
  /** Already trimmed and checked. */
  text: string;
  nonce?: string;
}

/** The per-user chat rate: a token bucket shared by every instance. */
export interface ChatRate {
  perSecond: number;
  burst: number;
}

export type AppendResult =
  | { kind: "created"; message: Message }
  /** The same nonce from the same user to the same room: the first message, nothing new. */
  | { kind: "duplicate"; message: Message }
  | { kind: "rate_limited" };

export type DeleteResult =
  | { kind: "deleted"; deletion: Deletion }
  /** A tombstone already: nothing changes. */
  | { kind: "unchanged" }
  /** Never posted, or no longer retained. */
  | { kind: "not_found" };

export interface HistoryQuery {
  /** Messages after this seq; without it, the newest ones. */
  since?: number;
  /** At most this many; without it, every retained one. */
  limit?: number;
}

export interface HistoryPage {
  /** Ascending by seq. */
  messages: Message[];
  /** Some messages the query covers are no longer retained. */
  truncated: boolean;
  /** The room's highest seq at the time of the read (0 for an empty room). */
  head: number;
  /** The room's highest deletion position at the time of the read. */
  deletions: number;
}

/**
 * Where chat messages live. In `append`, the nonce check and the next seq
 * happen as one step (the rate check comes before it), so concurrent senders
 * on any number of instances produce seqs without gaps or repeats, and a
 * retried nonce never posts twice. At least the newest 1000 messages of a room are
 * kept.
 *
 * `delete` turns a message into a tombstone and numbers the deletion within
 * its room (1, 2, 3, ...) in the same step, so a relay that missed one finds
 * it as it finds a missed message: by comparing heads.
 */
export interface MessageStore {
  append(input: AppendInput, rate: ChatRate): Promise<AppendResult>;
  history(room: RoomName, query: HistoryQuery): Promise<HistoryPage>;
  /** The highest seq of each listed room (0 when empty); rooms whose shard does not answer are left out. */
  heads(rooms: readonly RoomName[]): Promise<Map<RoomName, number>>;
  delete(room: RoomName, seq: number): Promise<DeleteResult>;
  /** The retained deletions of a room after `position`, ascending. */
  deletionsAfter(room: RoomName, position: number): Promise<Deletion[]>;
  /** The highest deletion position of each listed room (0 when none); as {@link heads}, partial. */
  deletionHeads(rooms: readonly RoomName[]): Promise<Map<RoomName, number>>;
}

/** The tombstone of `message`: who and when are kept, the text is gone. */
export const tombstone = (message: Message): Message => ({ ...message, text: "", deleted: true });

/** Whether a page that starts at `oldest` retained seq misses part of what was asked. */
export function isTruncated(query: HistoryQuery, page: Message[], oldest: number): boolean {
  if (oldest <= 1) return false;
  if (query.since !== undefined) return oldest > query.since + 1;
  return query.limit !== undefined && page.length < query.limit;
}

/**
 * Whose rate limit and nonces a message counts against. A guest's `userId`
 * is its own choice and may equal a verified user's `sub`: kept apart, a
 * guest can neither spend a signed-in user's budget nor plant a nonce that
 * user's send would then be answered with.
 */
export function senderKey(user: ChatUser): string {
  return `${user.verified ? "v" : "g"}:${user.id}`;
}
