import type { Ack } from "./errors.js";
import type { Match, MatchId, MatchUpdate, Message, Presence, RoomName } from "./models.js";

/** Namespace names. */
export const SCORES_NAMESPACE = "/scores";
export const CHAT_NAMESPACE = "/chat";

/** Handshake `auth` of both namespaces. */
export interface HandshakeAuth {
  /** A publisher token: grants role `publisher`. */
  token?: string;
  /** Chat display name, 1..32 characters after trimming. */
  name?: string;
  /** Optional stable anonymous identity; scopes chat nonces. */
  userId?: string;
}

export type Role = "viewer" | "publisher";

export type AckCallback<T extends object = object> = (answer: Ack<T>) => void;

export interface SubscribeRequest {
  /** 1..100 match ids. */
  ids: MatchId[];
  /** The version the client holds per match; only newer states are sent. */
  versions?: Record<MatchId, number>;
}

export interface UnsubscribeRequest {
  ids: MatchId[];
}

export interface ScoresClientToServerEvents {
  subscribe: (req: SubscribeRequest, ack: AckCallback<{ matches: Match[] }>) => void;
  unsubscribe: (req: UnsubscribeRequest, ack: AckCallback) => void;
  publish: (req: MatchUpdate, ack: AckCallback<{ match: Match }>) => void;
}

export interface ScoresServerToClientEvents {
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

export interface ChatClientToServerEvents {
  join: (req: JoinRequest, ack: AckCallback<JoinResult>) => void;
  leave: (req: LeaveRequest, ack: AckCallback) => void;
  send: (req: SendRequest, ack: AckCallback<{ message: Message }>) => void;
}

export interface ChatServerToClientEvents {
  message: (message: Message) => void;
  presence: (presence: Presence) => void;
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
