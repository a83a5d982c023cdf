import { io, type Socket } from "socket.io-client";
import type { ChatSocket, ScoresSocket } from "../../client/connection.js";
import { CHAT_NAMESPACE, SCORES_NAMESPACE, type HandshakeAuth } from "../../contract/index.js";
import { PUBLISH_TOKEN } from "./instances.js";

export type { ChatSocket, ScoresSocket };

const open = new Set<Socket>();

export interface ConnectOptions {
  auth?: HandshakeAuth;
  transports?: Array<"polling" | "websocket">;
  /** Let the client reconnect by itself (off by default, so a test sees every disconnect). */
  reconnection?: boolean;
}

/** A connected socket.io-client socket; rejects with the `connect_error` message. */
export async function connect<S extends Socket>(
  url: string,
  namespace: string,
  options: ConnectOptions = {},
): Promise<S> {
  const socket = io(url + namespace, {
    auth: options.auth ?? {},
    transports: options.transports ?? ["websocket"],
    reconnection: options.reconnection ?? false,
    forceNew: true,
    reconnectionDelay: 100,
    reconnectionDelayMax: 500,
  }) as S;
  open.add(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", (err) => reject(err));
  });
  return socket;
}

export const viewer = (url: string, options?: ConnectOptions) =>
  connect<ScoresSocket>(url, SCORES_NAMESPACE, options);

export const publisher = (url: string, options?: ConnectOptions) =>
  connect<ScoresSocket>(url, SCORES_NAMESPACE, {
    ...options,
    auth: { token: PUBLISH_TOKEN, ...options?.auth },
  });

export const chatter = (url: string, options?: ConnectOptions) =>
  connect<ChatSocket>(url, CHAT_NAMESPACE, options);

/** Closes every socket the tests opened. */
export function closeAll(): void {
  for (const socket of open) socket.disconnect();
  open.clear();
}

/** Emits `event` with an ack and resolves with the answer, untyped: tests send what they like. */
export function call(socket: Socket, event: string, payload: unknown): Promise<any> {
  return socket.timeout(5000).emitWithAck(event, payload);
}
