import type { Ack } from "./errors.js";
import type {
  Deleted,
  Match,
  MatchId,
  MatchUpdate,
  Message,
  Presence,
  RoomName,
  UserId,
} from "./models.js";

/** Namespace names. */
export const SCORES_NAMESPACE = "/scores";
export const CHAT_NAMESPACE = "/chat";

/** Handshake `auth` of both namespaces. */
export interface HandshakeAuth {
  /** A publisher or moderator token: grants role `publisher`, `moderator` or both. */
  token?: string;
  /** A signed identity from the embedding site; its claims win over `name` and `userId`. */
  jwt?: string;
  /** Chat display name, 1..32 characters after trimming. */
  name?: string;
  /** Optional stable anonymous identity; scopes chat nonces. */
  userId?: string;
}

export type Role = "viewer" | "publisher" | "moderator";

/** The roles a credential grants; a socket with none is a viewer. */
export type GrantedRole = Exclude<Role, "viewer">;

export type AckCallback<T extends object = object> = (answer: Ack<T>) => void;

/** The request payload of a client-to-server event of a map. */
export type RequestOf<F> = F extends (req: infer P, ack: AckCallback<infer _R>) => void ? P : never;

/** The success fields of a client-to-server event's ack. */
export type ResultOf<F> = F extends (req: infer _P, ack: AckCallback<infer R>) => void ? R : never;

export interface SubscribeRequest {
  /** 1..100 match ids. */
  ids: MatchId[];
  /** The version the client holds per match; only newer states are sent. */
  versions?: Record<MatchId, number>;
}

export interface UnsubscribeRequest {
  ids: MatchId[];
}

/** v1.1: follow every match; answered with the most recently updated ones. */
export interface SubscribeAllRequest {
  /** The version the client holds per match; only newer states are sent. */
  versions?: Record<MatchId, number>;
}

/** v1.1: `unsubscribe_all` takes an empty object. */
export type UnsubscribeAllRequest = Record<string, never>;

export interface ScoresClientToServerEvents {
  subscribe: (req: SubscribeRequest, ack: AckCallback<{ matches: Match[] }>) => void;
  unsubscribe: (req: UnsubscribeRequest, ack: AckCallback) => void;
  subscribe_all: (req: SubscribeAllRequest, ack: AckCallback<{ matches: Match[] }>) => void;
  unsubscribe_all: (req: UnsubscribeAllRequest, ack: AckCallback) => void;
  publish: (req: MatchUpdate, ack: AckCallback<{ match: Match }>) => void;
}

export interface ScoresServerToClientEvents {
  match: (match: Match) => void;
}

/**
 * What `/scores` instances tell each other through the Redis adapter: a
 * freshly stored match, for the relays of the other instances.
 */
export interface ScoresInterServerEvents {
  match: (match: Match) => void;
}

export interface JoinRequest {
  room: RoomName;
  /** The highest `seq` the client holds. */
  since?: number;
}

export interface JoinResult {
  history: Message[];
  online: number;
  truncated?: true;
}

export interface LeaveRequest {
  room: RoomName;
}

export interface SendRequest {
  room: RoomName;
  text: string;
  /** 1..64 characters; a retry with the same nonce posts nothing new. */
  nonce?: string;
}

export interface DeleteRequest {
  room: RoomName;
  seq: number;
}

export interface MuteRequest {
  userId: UserId;
  /** 1..10080 (a week). */
  minutes: number;
  /** Only this room; without it, every room. */
  room?: RoomName;
}

export interface MuteResult {
  /** ISO 8601: when the mute ends. */
  until: string;
}

export interface UnmuteRequest {
  userId: UserId;
  room?: RoomName;
}

export interface ChatClientToServerEvents {
  join: (req: JoinRequest, ack: AckCallback<JoinResult>) => void;
  leave: (req: LeaveRequest, ack: AckCallback) => void;
  send: (req: SendRequest, ack: AckCallback<{ message: Message }>) => void;
  /** Moderators only: the message becomes a tombstone everywhere. */
  delete: (req: DeleteRequest, ack: AckCallback) => void;
  /** Moderators only. */
  mute: (req: MuteRequest, ack: AckCallback<MuteResult>) => void;
  /** Moderators only. */
  unmute: (req: UnmuteRequest, ack: AckCallback) => void;
}

export interface ChatServerToClientEvents {
  message: (message: Message) => void;
  /** A message of the room became a tombstone. */
  deleted: (deleted: Deleted) => void;
  presence: (presence: Presence) => void;
}

/**
 * A deletion as instances pass it on: `position` numbers the deletions of a
 * room (1, 2, 3, ...), so a relay notices one it missed.
 */
export interface Deletion extends Deleted {
  position: number;
  /** ISO 8601, when it was stored. */
  ts: string;
}

/** What `/chat` instances tell each other: fresh messages and deletions, and their member counts. */
export interface ChatInterServerEvents {
  message: (message: Message) => void;
  deleted: (deletion: Deletion) => void;
  /** One instance's count of a room; `version` orders the counts of one room. */
  presence: (update: Presence & { version: number }) => void;
}

/** HTTP: `GET /api/matches`. */
export interface MatchList {
  matches: Match[];
}

/** HTTP: `GET /api/rooms/:room/messages`. */
export interface MessagePage {
  messages: Message[];
  truncated?: true;
}
