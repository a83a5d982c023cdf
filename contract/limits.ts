/** Fixed sizes of the wire contract; each number appears here once. */

export const MATCH_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const ROOM_PATTERN = /^[A-Za-z0-9_:-]{1,64}$/;
export const USER_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;
/** A verified user's id, the `sub` of its JWT; also any user id a moderator names. */
export const SUBJECT_PATTERN = /^[A-Za-z0-9_.:@-]{1,64}$/;

/** The shape of a JWT (three base64url parts): a credential of this shape is one, not a shared token. */
export const JWT_SHAPE = /^[\w-]*\.[\w-]*\.[\w-]*$/;

export const TEAM_NAME_MAX = 64;
export const MINUTE_MAX = 200;
/** Ids in one `subscribe` or `unsubscribe`. */
export const IDS_PER_REQUEST_MAX = 100;
/** Matches in a `subscribe_all` answer: the most recently updated. */
export const RECENT_MATCHES_MAX = 1000;

export const DISPLAY_NAME_MAX = 32;
export const TEXT_MAX = 2000;
export const NONCE_MAX = 64;
/** The longest `mute`: a week. */
export const MUTE_MINUTES_MAX = 10_080;
/** A repeated nonce within this window returns the first message. */
export const NONCE_TTL_MS = 10 * 60 * 1000;

/** Messages in a `join` answer without `since`. */
export const JOIN_HISTORY = 50;
/** Messages kept per room, at least. */
export const RETAINED_MESSAGES = 1000;
export const HISTORY_LIMIT_DEFAULT = 50;
export const HISTORY_LIMIT_MAX = 1000;

/** Every acknowledgement is answered within this time. */
export const ACK_TIMEOUT_MS = 5000;

export const LONG_POLL_WAIT_DEFAULT_S = 30;
export const LONG_POLL_WAIT_MIN_S = 1;
export const LONG_POLL_WAIT_MAX_S = 60;

/** Members of a dead instance leave the `online` count within this time. */
export const PRESENCE_EXPIRY_MS = 30_000;

/** Defaults of the configurable limits ("Limits and abuse"). */
export const DEFAULT_LIMITS = {
  /** One WebSocket message or polling body, in bytes. */
  maxMessageBytes: 65_536,
  /** Nesting depth of a payload; the payload object is level 1. */
  maxPayloadDepth: 16,
  matchesPerSocket: 200,
  roomsPerSocket: 20,
  socketEventsPerSecond: 50,
  socketEventBurst: 100,
  publisherEventsPerSecond: 1000,
  publisherEventBurst: 2000,
  /** A socket still refused after this long, or this many times, is disconnected. */
  socketRefusalGraceMs: 5000,
  socketRefusalMax: 100,
  chatMessagesPerSecond: 5,
  chatMessageBurst: 10,
  /** Data queued for one slow socket, in bytes. */
  slowSocketBytes: 1_048_576,
} as const;

/** The lowest per-socket event rate a deployment may configure. */
export const SOCKET_EVENTS_PER_SECOND_FLOOR = 20;

export type Limits = { -readonly [K in keyof typeof DEFAULT_LIMITS]: number };
