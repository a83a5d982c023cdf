import type { Socket } from "socket.io";
import type { z } from "zod";
import { AppError } from "../../contract/app-error.js";
import type { Ack, ErrorBody, GrantedRole, RequestOf, ResultOf } from "../../contract/index.js";
import { deadline } from "../deadline.js";
import { toErrorBody } from "../errors.js";
import { KeyedQueue } from "../keyed-queue.js";
import type { Logger } from "../logger.js";
import type { Metrics } from "../metrics.js";
import { parsePayload } from "./payload.js";
import type { SocketData } from "./socket-data.js";

/** Time a handler has before its ack is answered `unavailable`, within the contract's 5 s. */
const HANDLER_DEADLINE_MS = 4000;

const noop = () => {};

const ROLE_REFUSALS: Record<GrantedRole, string> = {
  publisher: "publishing needs a publisher token",
  moderator: "moderating needs a moderator token or role",
};

/**
 * What a handler answers with. A function is called right before the ack is
 * sent, in the same tick: a socket that joins a room there cannot receive a
 * room event ahead of the ack that tells it where the room stands. Its
 * `abandon`, if any, is called instead when the event was answered
 * `unavailable` before the function could run.
 */
export type Reply<R> = R | ReplyFunction<R>;

type ReplyFunction<R> = (() => R) & { abandon?: () => void };

/** One client-to-server event: its schema and the service call behind it. */
export interface EventHandler<P, R, S> {
  schema: z.ZodType<P>;
  /** Refused with `forbidden` for sockets without this role. */
  role?: GrantedRole;
  /**
   * What the event acts on (match ids, a room). Of one socket's events, those
   * sharing a key take effect one after another in the order sent; the others
   * run side by side.
   */
  orderKeys(payload: P): Iterable<string>;
  run(payload: P, socket: S): Promise<Reply<R>>;
}

/** A namespace's handlers: one per client-to-server event of its contract map. */
export type HandlerTable<E, S> = {
  [K in keyof E & string]: EventHandler<RequestOf<E[K]>, ResultOf<E[K]>, S>;
};

export interface RouterContext {
  maxPayloadDepth: number;
  logger: Logger;
  metrics: Metrics;
}

/** What the router uses of a socket. */
type RoutedSocket = Pick<Socket, "id" | "connected" | "nsp" | "use" | "disconnect"> & {
  data: SocketData;
};

/**
 * Routes every event of every socket of `nsp` through one path: rate limit,
 * known event, role, schema, the socket's order, service, and exactly one
 * answer to the ack. Events never reach `socket.on` listeners, so no
 * client-chosen name (even "error") can trigger anything else.
 */
export function routeEvents<E, S extends RoutedSocket>(
  nsp: { on(event: "connection", listener: (socket: S) => void): unknown },
  handlers: HandlerTable<E, S>,
  ctx: RouterContext,
): void {
  const lookup = new Map<string, EventHandler<unknown, object, S>>(Object.entries(handlers));
  nsp.on("connection", (socket) => {
    const order = new KeyedQueue();
    socket.use((packet) => dispatch(socket, lookup, order, ctx, packet));
  });
}

function dispatch<S extends RoutedSocket>(
  socket: S,
  handlers: ReadonlyMap<string, EventHandler<unknown, object, S>>,
  order: KeyedQueue,
  ctx: RouterContext,
  packet: unknown[],
): void {
  const data = socket.data;
  // Socket.IO hands over the packets it decoded before a disconnect on later
  // ticks: a flood cut off at its 100th refusal would otherwise run on.
  if (!socket.connected || data.cutOff) return;
  // The ack comes last even when nothing precedes it (`42/scores,1`, no name).
  const last = packet.at(-1);
  const ack = typeof last === "function" ? (last as (a: Ack) => void) : undefined;
  const [event, ...args] = ack ? packet.slice(0, -1) : packet;
  const handler = typeof event === "string" ? handlers.get(event) : undefined;
  const name = handler ? (event as string) : "unknown";
  const namespace = socket.nsp.name;
  ctx.metrics.eventsIn.inc({ namespace, event: name });
  const answer = (result: Ack) => {
    ctx.metrics.acks.inc({ namespace, event: name, result: result.ok ? "ok" : result.error.code });
    ack?.(result);
  };
  const fail = (error: ErrorBody) => {
    ctx.logger.debug({ sid: socket.id, namespace, event: name, code: error.code }, "event refused");
    answer({ ok: false, error });
  };

  const verdict = data.rate.check();
  if (verdict !== "allow") {
    fail({ code: "rate_limited", message: "too many events; slow down" });
    if (verdict === "disconnect") {
      ctx.logger.warn({ sid: socket.id, namespace }, "disconnecting a socket that keeps flooding");
      // Events it had been allowed still get their answers first: a `send`
      // stored and delivered to the room is acknowledged to its sender too.
      data.cutOff = true;
      if (data.inFlight === 0) socket.disconnect(true);
    }
    return;
  }
  if (!handler) return fail({ code: "bad_request", message: "unknown event" });
  if (!ack) ctx.logger.debug({ sid: socket.id, event: name }, "event without an ack callback");
  if (handler.role && !data.roles.includes(handler.role)) {
    return fail({ code: "forbidden", message: ROLE_REFUSALS[handler.role] });
  }
  let payload: unknown;
  try {
    payload = parsePayload(handler.schema, args[0], ctx.maxPayloadDepth);
  } catch (err) {
    return fail(toErrorBody(err));
  }
  const expiresAt = Date.now() + HANDLER_DEADLINE_MS;
  data.inFlight++;
  // The ack is answered inside the ordered task: the next event on the same
  // keys starts only once this one has taken effect (joined, left, stored).
  void order.run(handler.orderKeys(payload), async () => {
    try {
      const left = expiresAt - Date.now();
      if (left <= 0) throw new AppError("unavailable", `${name} waited too long; retry`);
      const work = handler.run(payload, socket);
      const reply = await deadline(work, left, name).catch((err: unknown) => {
        void work.then((late) => {
          if (typeof late === "function") (late as ReplyFunction<object>).abandon?.();
        }, noop);
        throw err;
      });
      answer({ ok: true, ...(typeof reply === "function" ? reply() : reply) });
    } catch (err) {
      if (!(err instanceof AppError)) {
        ctx.logger.error({ err, sid: socket.id, namespace, event: name }, "handler failed");
      }
      fail(toErrorBody(err));
    } finally {
      data.inFlight--;
      // Engine.IO sends what is queued, this answer included, before it closes.
      if (data.cutOff && data.inFlight === 0) socket.disconnect(true);
    }
  });
}
