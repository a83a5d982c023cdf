import type { Socket } from "socket.io-client";

/** Emits `event` with an ack and resolves with the answer, untyped: tests send what they like. */
export function call(socket: Socket, event: string, payload: unknown): Promise<any> {
  return socket.timeout(5000).emitWithAck(event, payload);
}
