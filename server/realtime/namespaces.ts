import type { Namespace, Server, Socket } from "socket.io";
import {
  CHAT_NAMESPACE,
  SCORES_NAMESPACE,
  type ChatClientToServerEvents,
  type ChatInterServerEvents,
  type ChatServerToClientEvents,
  type ScoresClientToServerEvents,
  type ScoresInterServerEvents,
  type ScoresServerToClientEvents,
} from "../../contract/index.js";
import type { ChatSocketData, SocketData } from "./socket-data.js";

/** `/scores`, typed by the contract's event maps. */
export type ScoresNamespace = Namespace<
  ScoresClientToServerEvents,
  ScoresServerToClientEvents,
  ScoresInterServerEvents,
  SocketData
>;
export type ScoresServerSocket = Socket<
  ScoresClientToServerEvents,
  ScoresServerToClientEvents,
  ScoresInterServerEvents,
  SocketData
>;

/** `/chat`, typed by the contract's event maps. */
export type ChatNamespace = Namespace<
  ChatClientToServerEvents,
  ChatServerToClientEvents,
  ChatInterServerEvents,
  ChatSocketData
>;
export type ChatServerSocket = Socket<
  ChatClientToServerEvents,
  ChatServerToClientEvents,
  ChatInterServerEvents,
  ChatSocketData
>;

/**
 * The two namespaces of one server. Socket.IO types a server with one set of
 * maps for all its namespaces; each of ours has its own, so the server's
 * untyped namespaces are given theirs here, once.
 */
export function contractNamespaces(io: Server): { scores: ScoresNamespace; chat: ChatNamespace } {
  return {
    scores: io.of(SCORES_NAMESPACE),
    chat: io.of(CHAT_NAMESPACE),
  };
}
