import type { Request, Response } from "express";
import { AppError } from "../../contract/app-error.js";
import type { GrantedRole } from "../../contract/index.js";
import type { Credentials } from "./credentials.js";

const REFUSALS: Record<GrantedRole, string> = {
  publisher: "that token may not publish",
  moderator: "that token may not moderate",
};

/**
 * Checks `Authorization: Bearer <token or jwt>` for `role`: none at all is
 * 401; any bearer that does not grant the role is 403, as the contract says
 * of "a bearer that is not a publish token", a JWT that does not verify
 * included (the answer's message says which).
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
  const roles = await credentials.bearerRoles(bearer[1]).catch((err: unknown) => {
    if (err instanceof AppError && err.code === "unauthorized") {
      throw new AppError("forbidden", err.message);
    }
    throw err;
  });
  if (!roles.includes(role)) throw new AppError("forbidden", REFUSALS[role]);
}
