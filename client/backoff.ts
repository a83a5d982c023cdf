/** Exponential backoff with jitter, the same shape socket.io-client uses to reconnect. */
export interface BackoffOptions {
  /** @default 250 */
  minMs?: number;
  /** @default 5000 */
  maxMs?: number;
  /** Each delay is randomly up to this fraction shorter or longer. @default 0.5 */
  jitter?: number;
}

/** The delay before retry number `attempt` (0 for the first retry). */
export function backoffDelay(
  attempt: number,
  { minMs = 250, maxMs = 5000, jitter = 0.5 }: BackoffOptions = {},
): number {
  const base = Math.min(maxMs, minMs * 2 ** attempt);
  return Math.round(base * (1 + jitter * (2 * Math.random() - 1)));
}

/** Waits `ms`; a time already past (a negative `ms`) waits nothing, as Node 24 warns otherwise. */
export const sleep = (ms: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));
