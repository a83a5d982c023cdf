import type { z } from "zod";
import { AppError } from "../../contract/app-error.js";

/**
 * Whether `value` nests deeper than `max` levels; the payload itself is
 * level 1. Iterative, so a 5000-deep payload cannot exhaust the stack.
 */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== "object") continue;
    if (depth > max) return true;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}

/** Validates one client payload, or throws `bad_request` naming the first problem. */
export function parsePayload<T>(schema: z.ZodType<T>, payload: unknown, maxDepth: number): T {
  if (payload === null || typeof payload !== "object" || Array.isArray(payload)) {
    throw new AppError("bad_request", "payload must be an object");
  }
  if (nestsDeeperThan(payload, maxDepth)) {
    throw new AppError("bad_request", `payload nests deeper than ${maxDepth} levels`);
  }
  return parseOrReject(schema, payload);
}

/** Parses with `schema`, or throws `bad_request` naming the first problem and where it is. */
export function parseOrReject<T>(schema: z.ZodType<T>, value: unknown, what = ""): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = [what, ...issue.path.map(String)].filter(Boolean).join(".");
  throw new AppError("bad_request", where ? `${where}: ${issue.message}` : issue.message);
}
