import type { ErrorBody, ErrorCode } from "../contract/index.js";

/**
 * A refused or failed request, carrying the contract's error code. A request
 * that got no answer in time, or whose connection is down, is `unavailable`:
 * like the server's own `unavailable`, it may or may not have been applied.
 */
export class MatchdayError extends Error implements ErrorBody {
  override readonly name = "MatchdayError";

  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }

  static from(body: ErrorBody): MatchdayError {
    return new MatchdayError(body.code, body.message);
  }

  toJSON(): ErrorBody {
    return { code: this.code, message: this.message };
  }
}

/** Whether trying again may succeed: the service was unreachable or did not answer in time. */
export function isRetryable(err: unknown): boolean {
  return err instanceof MatchdayError && err.code === "unavailable";
}
