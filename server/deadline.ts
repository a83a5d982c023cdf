import { AppError } from "../contract/app-error.js";

/**
 * Time a storage call has before the client is told `unavailable`; with the
 * handler's own work it stays inside the contract's 5 s ack window.
 */
export const STORE_DEADLINE_MS = 3000;

/**
 * Answers `unavailable` if `work` has not settled within `ms`. The work itself
 * goes on: a Redis write that timed out may still be applied, and whatever
 * follows it (the broadcast) must still happen.
 */
export function deadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AppError("unavailable", `${what} timed out; retry`)), ms);
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

/**
 * A storage call as clients see it: within {@link STORE_DEADLINE_MS}, and any
 * failure that is not an {@link AppError} (the backing service is down; the
 * connection layer logs that once, not once per request) becomes
 * `unavailable`.
 */
export function storage<T>(work: Promise<T>, what: string): Promise<T> {
  const failed = (err: unknown): never => {
    if (err instanceof AppError) throw err;
    throw new AppError("unavailable", `${what} failed: storage unavailable; retry`, { cause: err });
  };
  return deadline(work.catch(failed), STORE_DEADLINE_MS, what);
}
