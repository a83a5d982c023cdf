/** The matchday client library: browsers and Node alike, typed by the contract. */
export { Chat } from "./chat.js";
export { ChatRoom, SEND_RETRY_WINDOW_MS, type RoomHandlers } from "./chat-room.js";
export {
  Connection,
  type ChatSocket,
  type ConnectionOptions,
  type ScoresSocket,
} from "./connection.js";
export type { ConnectionState, ConnectionStatus } from "./connection-state.js";
export { fetchMatch, fetchMatches, fetchMessages, putMatch } from "./http-api.js";
export { MatchdayError, isRetryable } from "./matchday-error.js";
export { publish } from "./publisher.js";
export { randomId } from "./random-id.js";
export { REQUEST_TIMEOUT_MS } from "./request.js";
export { ScoresFeed, type MatchListener, type ScoresFeedOptions } from "./scores-feed.js";
export type { TransportName } from "./transport-policy.js";
