import { randomBytes, randomInt } from "node:crypto";
import type { Socket } from "socket.io";
import { z } from "zod";
import { DISPLAY_NAME_MAX, USER_ID_PATTERN, type Limits } from "../../contract/index.js";
import { codePoints } from "./payload.js";
import { SocketRateLimit } from "./socket-rate-limit.js";
import type { SocketData } from "./socket-data.js";

const auth = z.object({
  token: z.unknown().optional(),
  name: z
    .string()
    .transform((name) => name.trim())
    .refine((name) => {
      const length = codePoints(name);
      return length >= 1 && length <= DISPLAY_NAME_MAX;
    })
    .optional(),
  userId: z.string().regex(USER_ID_PATTERN).optional(),
});

const guestName = () => `guest-${randomInt(10_000).toString().padStart(4, "0")}`;
const anonymousId = () => randomBytes(12).toString("base64url");

/**
 * Namespace middleware: a wrong token fails the handshake with
 * `unauthorized`, an invalid name or userId with `bad_request`.
 */
export function handshake(publishTokens: readonly string[], limits: Limits) {
  const tokens = new Set(publishTokens);
  return (socket: Socket, next: (err?: Error) => void) => {
    const raw: unknown = socket.handshake.auth;
    const parsed = auth.safeParse(raw !== null && typeof raw === "object" ? raw : {});
    if (!parsed.success) return next(new Error("bad_request"));
    const { token, name, userId } = parsed.data;
    if (
      token !== undefined &&
      token !== null &&
      !(typeof token === "string" && tokens.has(token))
    ) {
      return next(new Error("unauthorized"));
    }
    const role = token === undefined || token === null ? "viewer" : "publisher";
    const publisher = role === "publisher";
    const data: SocketData = {
      role,
      user: { id: userId ?? anonymousId(), name: name ?? guestName() },
      rate: new SocketRateLimit(
        publisher ? limits.publisherEventsPerSecond : limits.socketEventsPerSecond,
        publisher ? limits.publisherEventBurst : limits.socketEventBurst,
        limits.socketRefusalGraceMs,
        limits.socketRefusalMax,
      ),
    };
    socket.data = data;
    next();
  };
}
