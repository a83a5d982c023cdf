import { randomBytes, randomInt } from "node:crypto";
import type { Socket } from "socket.io";
import { z } from "zod";
import { AppError } from "../../contract/app-error.js";
import {
  DISPLAY_NAME_MAX,
  USER_ID_PATTERN,
  type ChatUser,
  type GrantedRole,
  type Limits,
} from "../../contract/index.js";
import { codePoints } from "../../contract/fields.js";
import type { Credentials } from "../auth/credentials.js";
import type { Logger } from "../logger.js";
import { SocketRateLimit } from "./socket-rate-limit.js";
import type { ChatSocketData, SocketData } from "./socket-data.js";

const auth = z.object({
  token: z.unknown().optional(),
  jwt: z.unknown().optional(),
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

/** Who a handshake's credentials say the socket is. */
interface Established {
  roles: readonly GrantedRole[];
  /** Present for a valid `jwt`: it replaces `name` and `userId`. */
  verified?: ChatUser;
}

/** A given credential: JSON has no undefined, so null is "not given" too. */
const given = (value: unknown) => value !== undefined && value !== null;

/**
 * Namespace middleware: a wrong token or an invalid `jwt` fails the
 * handshake with `unauthorized` (logged once, with the reason), an invalid
 * name or userId with `bad_request`. A connection that asks again for a
 * namespace it is on its way into is closed.
 */
export function handshake(
  credentials: Credentials,
  limits: Limits,
  /** Give each socket a chat identity (`/chat`); `/scores` viewers need none. */
  identify: boolean,
  logger: Logger,
) {
  async function establish(token: unknown, jwt: unknown): Promise<Established> {
    const roles = new Set<GrantedRole>();
    if (given(token)) {
      const granted = typeof token === "string" ? credentials.tokenRoles(token) : undefined;
      if (!granted) throw new AppError("unauthorized", "unknown token");
      for (const role of granted) roles.add(role);
    }
    if (!given(jwt)) return { roles: [...roles] };
    if (typeof jwt !== "string") throw new AppError("unauthorized", "invalid jwt: not a string");
    const identity = await credentials.verifyJwt(jwt);
    for (const role of identity.roles) roles.add(role);
    return { roles: [...roles], verified: identity.user };
  }

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
    const fields = (raw !== null && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
    // A jwt's claims replace name and userId, so theirs are not even checked.
    const parsed = auth.safeParse(
      given(fields.jwt) ? { ...fields, name: undefined, userId: undefined } : fields,
    );
    if (!parsed.success) return done(new Error("bad_request"));
    const { token, jwt, name, userId } = parsed.data;
    establish(token, jwt).then(
      ({ roles, verified }) => {
        const user = verified ?? { id: userId ?? anonymousId(), name: name ?? guestName() };
        socket.data = socketData(roles, identify ? user : undefined, limits);
        done();
      },
      (err: unknown) => {
        if (!(err instanceof AppError)) {
          logger.error({ err, sid: socket.id }, "handshake failed");
          return done(new Error("unavailable"));
        }
        logger.info(
          { sid: socket.id, namespace: nsp.name, reason: err.message },
          "handshake refused",
        );
        done(new Error("unauthorized"));
      },
    );
  };
}

function socketData(
  roles: readonly GrantedRole[],
  user: ChatUser | undefined,
  limits: Limits,
): SocketData | ChatSocketData {
  const publisher = roles.includes("publisher");
  return {
    roles,
    ...(user ? { user } : {}),
    rate: new SocketRateLimit(
      publisher ? limits.publisherEventsPerSecond : limits.socketEventsPerSecond,
      publisher ? limits.publisherEventBurst : limits.socketEventBurst,
      limits.socketRefusalGraceMs,
      limits.socketRefusalMax,
    ),
    inFlight: 0,
    cutOff: false,
  };
}
