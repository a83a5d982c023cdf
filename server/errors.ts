import { AppError } from "../contract/app-error.js";
import type { ErrorBody } from "../contract/index.js";

/** The contract's answer for anything that is not an {@link AppError}: no internals leak. */
export function toErrorBody(err: unknown): ErrorBody {
  if (err instanceof AppError) return err.toBody();
  return { code: "unavailable", message: "internal error, try again" };
}
