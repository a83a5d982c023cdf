import type { ErrorBody, ErrorCode } from "./errors.js";

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
