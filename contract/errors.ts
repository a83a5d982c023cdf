/** Every error code of the wire contract. */
export type ErrorCode =
  | "bad_request"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "rate_limited"
  | "unavailable";

export const ERROR_CODES: readonly ErrorCode[] = [
  "bad_request",
  "unauthorized",
  "forbidden",
  "not_found",
  "conflict",
  "rate_limited",
  "unavailable",
];

export interface ErrorBody {
  code: ErrorCode;
  message: string;
}

/** The failed answer of any acknowledgement. */
export interface AckFailure {
  ok: false;
  error: ErrorBody;
}

/** Every acknowledgement is one union on `ok`. */
export type Ack<T extends object = object> = ({ ok: true } & T) | AckFailure;

/** The body of every `/api` error answer. */
export interface ApiError {
  error: ErrorBody;
}
