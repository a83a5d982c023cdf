import type { Namespace, Socket } from "socket.io";
import type { z } from "zod";
import type { Ack, ErrorBody } from "../../contract/index.js";
import { deadline } from "../deadline.js";
import { AppError, toErrorBody } from "../errors.js";
import type { Logger } from "../logger.js";
import type { Metrics } from "../metrics.js";
import { parsePayload } from "./payload.js";
import type { SocketData } from "./socket-data.js";

/** Time a handler has before its ack is answered `unavailable`, within the contract's 5 s. */
const HANDLER_DEADLINE_MS = 4000;

/**
 * What a handler answers with. A function is called right before the ack is
 * sent, in the same tick: a socket that joins a room there cannot receive a
 * room event ahead of the ack that tells it where the room stands.
 */
export type Reply = object | (() => object);

/** One client-to-server event: its schema and the service call behind it. */
export interface EventHandler<P> {
  schema: z.ZodType<P>;
  /** Refused with `forbidden` for sockets without the publisher role. */
  publisherOnly?: boolean;
  run(payload: P, socket: Socket): Promise<Reply>;
}

export interface RouterContext {
  maxPayloadDepth: number;
  logger: Logger;
  metrics: Metrics;
}

type Handlers = ReadonlyMap<string, EventHandler<any>>;

/**
 * Routes every event of every socket of `nsp` through one path: rate limit,
 * known event, role, schema, service, and exactly one answer to the ack.
 * Events never reach `socket.on` listeners, so no client-chosen name (even
 * "error") can trigger anything else.
 */
export function routeEvents(nsp: Namespace, handlers: Handlers, ctx: RouterContext): void {
  nsp.on("connection", (socket) => {
    socket.use((packet) => void dispatch(socket, handlers, ctx, packet));
  });
}

async function dispatch(
  socket: Socket,
  handlers: Handlers,
  ctx: RouterContext,
  packet: unknown[],
): Promise<void> {
  const data = socket.data as SocketData;
  // Socket.IO hands over the packets it decoded before a disconnect on later
  // ticks: a flood cut off at its 100th refusal would otherwise run on.
  if (!socket.connected || data.cutOff) return;
  // The ack comes last even when nothing precedes it (`42/scores,1`, no name).
  const last = packet.at(-1);
  const ack = typeof last === "function" ? (last as (a: Ack) => void) : undefined;
  const [event, ...args] = ack ? packet.slice(0, -1) : packet;
  const name = typeof event === "string" && handlers.has(event) ? event : "unknown";
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
  const handler = handlers.get(name);
  if (!handler) return fail({ code: "bad_request", message: "unknown event" });
  if (!ack) ctx.logger.debug({ sid: socket.id, event: name }, "event without an ack callback");
  if (handler.publisherOnly && data.role !== "publisher") {
    return fail({ code: "forbidden", message: "publishing needs a publisher token" });
  }
  data.inFlight++;
  try {
    const payload = parsePayload(handler.schema, args[0], ctx.maxPayloadDepth);
    const reply = await deadline(handler.run(payload, socket), HANDLER_DEADLINE_MS, name);
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
}
