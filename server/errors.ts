import type { ErrorBody, ErrorCode } from "../contract/index.js";

/** A failure the client is told about, with a code from the contract. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

  toBody(): ErrorBody {
    return { code: this.code, message: this.message };
  }
}

/** The contract's answer for anything that is not an {@link AppError}: no internals leak. */
export function toErrorBody(err: unknown): ErrorBody {
  if (err instanceof AppError) return err.toBody();
  return { code: "unavailable", message: "internal error, try again" };
}
