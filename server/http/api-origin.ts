import cors from "cors";
import type { RequestHandler } from "express";
import { sendError } from "./api-errors.js";
import { originAllowed } from "./origin.js";

/**
 * The contract's origin rule for `/api`: a foreign browser origin gets 403
 * `forbidden`; listed origins also get the CORS headers they need (ETag
 * readable, Authorization allowed for PUT).
 */
export function apiOrigin(corsOrigins: ReadonlySet<string>): RequestHandler[] {
  const guard: RequestHandler = (req, res, next) => {
    if (originAllowed(req.get("origin"), req.get("host"), corsOrigins)) return next();
    sendError(res, { code: "forbidden", message: "this origin may not call the API" });
  };
  const headers = cors({
    origin: (origin, callback) => callback(null, origin !== undefined && corsOrigins.has(origin)),
    exposedHeaders: ["ETag"],
    maxAge: 600,
  });
  return [guard, headers];
}
