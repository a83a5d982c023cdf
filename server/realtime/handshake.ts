import { randomBytes, randomInt } from "node:crypto";
import type { Socket } from "socket.io";
import { z } from "zod";
import { DISPLAY_NAME_MAX, USER_ID_PATTERN, type Limits } from "../../contract/index.js";
import { codePoints } from "./payload.js";
import { SocketRateLimit } from "./socket-rate-limit.js";
import type { ChatSocketData, SocketData } from "./socket-data.js";

const auth = z.object({
  token: z.unknown().optional(),
  name: z
    .string()
    .transform((name) => name.trim())
    .refine((name) => {
      const length = codePoints(name);
      return length >= 1 && length <= DISPLAY_NAME_MAX;
    })
    .nullish(),
  // null is "not given", as it is for the token: JSON has no undefined.
  userId: z.string().regex(USER_ID_PATTERN).nullish(),
});

const guestName = () => `guest-${randomInt(10_000).toString().padStart(4, "0")}`;
const anonymousId = () => randomBytes(12).toString("base64url");

/**
 * Namespace middleware: a wrong token fails the handshake with
 * `unauthorized`, an invalid name or userId with `bad_request`. A connection
 * that asks again for a namespace it is on its way into is closed.
 */
export function handshake(
  publishTokens: readonly string[],
  limits: Limits,
  /** Give each socket a chat identity (`/chat`); `/scores` viewers need none. */
  identify: boolean,
) {
  const tokens = new Set(publishTokens);
  // Socket.IO closes a connection that repeats CONNECT for a namespace it has
  // joined, but the CONNECTs decoded in one tick (thousands fit in one polling
  // body) all reach here before the first has joined, and each would make a
  // socket. Entries live only until Socket.IO has joined the first, so idle
  // connections hold nothing here.
  const joining = new WeakMap<Socket["conn"], Set<string>>();
  return (socket: Socket, next: (err?: Error) => void) => {
    const { conn, nsp } = socket;
    const namespaces = joining.get(conn) ?? new Set<string>();
    if (namespaces.has(nsp.name)) {
      conn.close();
      return next(new Error("bad_request"));
    }
    namespaces.add(nsp.name);
    joining.set(conn, namespaces);
    // Socket.IO joins the socket on the tick after next(); this runs after that.
    const done = (err?: Error) => {
      next(err);
      process.nextTick(() => {
        namespaces.delete(nsp.name);
        if (namespaces.size === 0) joining.delete(conn);
      });
    };
    const raw: unknown = socket.handshake.auth;
    const parsed = auth.safeParse(raw !== null && typeof raw === "object" ? raw : {});
    if (!parsed.success) return done(new Error("bad_request"));
    const { token, name, userId } = parsed.data;
    if (
      token !== undefined &&
      token !== null &&
      !(typeof token === "string" && tokens.has(token))
    ) {
      return done(new Error("unauthorized"));
    }
    const role = token === undefined || token === null ? "viewer" : "publisher";
    const publisher = role === "publisher";
    const data: SocketData | ChatSocketData = {
      role,
      ...(identify ? { user: { id: userId ?? anonymousId(), name: name ?? guestName() } } : {}),
      rate: new SocketRateLimit(
        publisher ? limits.publisherEventsPerSecond : limits.socketEventsPerSecond,
        publisher ? limits.publisherEventBurst : limits.socketEventBurst,
        limits.socketRefusalGraceMs,
        limits.socketRefusalMax,
      ),
      inFlight: 0,
      cutOff: false,
    };
    socket.data = data;
    done();
  };
}
