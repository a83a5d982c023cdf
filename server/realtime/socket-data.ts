import type { ChatUser, GrantedRole } from "../../contract/index.js";
import type { SocketRateLimit } from "./socket-rate-limit.js";

/** What the handshake establishes about a socket; kept in `socket.data`. */
export interface SocketData {
  /** Empty for a viewer. */
  roles: readonly GrantedRole[];
  rate: SocketRateLimit;
  /** Events accepted and not answered yet. */
  inFlight: number;
  /** Set once the socket is to be disconnected for flooding; it goes when `inFlight` is 0. */
  cutOff: boolean;
}

/** `/chat` sockets also carry who they speak as. */
export interface ChatSocketData extends SocketData {
  user: ChatUser;
}
