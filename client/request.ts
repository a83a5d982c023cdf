import type { Socket } from "socket.io-client";
import { ACK_TIMEOUT_MS, type Ack, type RequestOf, type ResultOf } from "../contract/index.js";
import { MatchdayError } from "./matchday-error.js";

/**
 * The server answers within the contract's 5 s of receiving an event; this
 * leaves a second for the network both ways before giving up.
 */
export const REQUEST_TIMEOUT_MS = ACK_TIMEOUT_MS + 1000;

/** Any client-to-server event of a contract map. */
type Handler = (payload: never, ack: (answer: unknown) => void) => void;

/**
 * Emits one client-to-server event and resolves with its ack's success
 * fields, or rejects with a `MatchdayError`. Only a connected socket
 * emits: socket.io-client would otherwise buffer the event and send it on
 * reconnect, after the caller's own recovery, possibly twice.
 */
export async function request<E extends { [K in keyof E]: Handler }, K extends keyof E & string>(
  socket: Socket<never, E>,
  event: K,
  payload: RequestOf<E[K]>,
  timeoutMs = REQUEST_TIMEOUT_MS,
): Promise<ResultOf<E[K]>> {
  if (!socket.connected) {
    throw new MatchdayError("unavailable", `not connected; "${event}" was not sent`);
  }
  let answer: Ack;
  try {
    answer = await (socket as unknown as Socket).timeout(timeoutMs).emitWithAck(event, payload);
  } catch {
    // socket.io-client rejects on timeout and when the connection drops first.
    throw new MatchdayError("unavailable", `no answer to "${event}" within ${timeoutMs} ms`);
  }
  if (!answer.ok) throw MatchdayError.from(answer.error);
  return answer as ResultOf<E[K]>;
}
