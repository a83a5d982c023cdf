/** A match id: 1..64 of `[A-Za-z0-9_-]`. */
export type MatchId = string;

/** A chat room name: 1..64 of `[A-Za-z0-9_:-]`, e.g. `match:42`. */
export type RoomName = string;

/** A stable anonymous user id: 8..64 of `[A-Za-z0-9_-]`. */
export type UserId = string;

export const MATCH_STATUSES = ["scheduled", "live", "halftime", "finished"] as const;

export type MatchStatus = (typeof MATCH_STATUSES)[number];

export interface Team {
  /** 1..64 characters. */
  name: string;
  /** An integer >= 0. */
  score: number;
}

/** The full state of a match, as stored and as broadcast. */
export interface Match {
  id: MatchId;
  home: Team;
  away: Team;
  status: MatchStatus;
  /** An integer 0..200, or `null` when no clock runs. */
  minute: number | null;
  /** Starts at 1 and grows by 1 on every accepted change. */
  version: number;
  /** ISO 8601, set by the server. */
  updatedAt: string;
}

/** A partial update of a match; creates the match when it does not exist. */
export interface MatchUpdate {
  id: MatchId;
  home?: Partial<Team>;
  away?: Partial<Team>;
  status?: MatchStatus;
  minute?: number | null;
  /** The version the publisher last saw; `0` means "create only". */
  expectedVersion?: number;
}

export interface ChatUser {
  id: UserId;
  name: string;
  /** Sent by a socket with a valid `jwt`: the id and name come from the embedding site. */
  verified?: true;
}

/** One chat message, numbered without gaps within its room. */
export interface Message {
  room: RoomName;
  /** 1, 2, 3, ... per room: the message's place in its room. */
  seq: number;
  user: ChatUser;
  /** 1..2000 characters, stored trimmed; always shown as text, never as HTML. */
  text: string;
  /** ISO 8601, set by the server. */
  ts: string;
  /** Removed by a moderator: `text` is then `""`, `seq` is kept. */
  deleted?: true;
}

/** A message a moderator removed. */
export interface Deleted {
  room: RoomName;
  seq: number;
}

/** The number of member sockets of a room across all instances. */
export interface Presence {
  room: RoomName;
  online: number;
}
