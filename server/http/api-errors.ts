import type { ErrorRequestHandler, Response } from "express";
import type { ErrorBody, ErrorCode } from "../../contract/index.js";
import { AppError } from "../../contract/app-error.js";
import { toErrorBody } from "../errors.js";
import type { Logger } from "../logger.js";

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
};

/** Sends the contract's `{ error: { code, message } }` with the code's status. */
export function sendError(res: Response, error: ErrorBody, status = STATUS[error.code]): void {
  res.status(status).json({ error });
}

/** body-parser's errors carry `type` and `status`. */
interface ParserError {
  type?: string;
  status?: number;
}

const EMPTY_BODY = "entity.empty";

/**
 * body-parser's `verify` hook: it reads an empty body as `{}`, but an empty
 * body is no JSON at all (a `PUT` of nothing is a client's mistake, not a
 * no-op). Other methods may send `Content-Length: 0` harmlessly.
 */
export function refuseEmptyBody(req: { method?: string }, _res: unknown, body: Buffer): void {
  if (body.length === 0 && req.method === "PUT") {
    throw Object.assign(new Error("empty body"), { type: EMPTY_BODY });
  }
}

/** Maps every `/api` failure to a JSON error with a contract code. */
export function apiErrorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const parser = err as ParserError;
    if (parser?.type === "entity.too.large") {
      return sendError(res, { code: "bad_request", message: "body too large" }, 413);
    }
    if (parser?.type === "entity.parse.failed" || parser?.type === EMPTY_BODY) {
      return sendError(res, { code: "bad_request", message: "the body must be a JSON object" });
    }
    // Express's own, for a path it cannot percent-decode.
    if (err instanceof URIError) {
      return sendError(res, { code: "bad_request", message: "malformed URL" });
    }
    // The rest of body-parser's refusals (an unsupported charset, say):
    // the contract answers every bad body with 400.
    if (typeof parser?.status === "number" && parser.status >= 400 && parser.status < 500) {
      return sendError(res, { code: "bad_request", message: "unreadable request body" });
    }
    if (!(err instanceof AppError)) logger.error({ err, url: req.originalUrl }, "request failed");
    sendError(res, toErrorBody(err));
  };
}
