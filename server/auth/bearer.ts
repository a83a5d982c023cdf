import type { Request, Response } from "express";
import { AppError } from "../../contract/app-error.js";
import type { GrantedRole } from "../../contract/index.js";
import type { Credentials } from "./credentials.js";

const REFUSALS: Record<GrantedRole, string> = {
  publisher: "that token may not publish",
  moderator: "that token may not moderate",
};

/**
 * Checks `Authorization: Bearer <token or jwt>` for `role`: none at all or a
 * JWT that does not verify is 401, a credential without the role 403.
 */
export async function requireBearer(
  req: Request,
  res: Response,
  credentials: Credentials,
  role: GrantedRole,
): Promise<void> {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.get("authorization") ?? "");
  if (!bearer) {
    res.set("WWW-Authenticate", 'Bearer realm="matchday"');
    throw new AppError("unauthorized", `this needs Authorization: Bearer <${role} token or jwt>`);
  }
  try {
    const roles = await credentials.bearerRoles(bearer[1]);
    if (!roles.includes(role)) throw new AppError("forbidden", REFUSALS[role]);
  } catch (err) {
    if (err instanceof AppError && err.code === "unauthorized") {
      res.set("WWW-Authenticate", 'Bearer realm="matchday", error="invalid_token"');
    }
    throw err;
  }
}
