import type { Socket } from "socket.io-client";
import { backoffDelay, sleep } from "./backoff.js";
import { isRetryable } from "./matchday-error.js";

/**
 * Runs `task` until it succeeds, retrying `unavailable` failures with backoff
 * for as long as the socket's session lasts; a new session runs its own
 * recovery from scratch, with what is known by then. Resolves false when
 * the session ended first; rejects with a failure that retrying cannot fix.
 */
export async function retryWithinSession(
  socket: Pick<Socket, "id" | "connected">,
  task: () => Promise<void>,
): Promise<boolean> {
  const session = socket.id;
  const current = () => socket.connected && socket.id === session;
  for (let attempt = 0; current(); attempt++) {
    try {
      await task();
      return true;
    } catch (err) {
      if (!isRetryable(err)) throw err;
      await sleep(backoffDelay(attempt));
    }
  }
  return false;
}
