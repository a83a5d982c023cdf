import { ServerResponse, type IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { originAllowed, readableRefusalHeaders } from "../http/origin.js";
import type { Logger } from "../logger.js";
import type { Metrics } from "../metrics.js";
import { OncePerWindow } from "./once-per-window.js";

type Next = (err?: Error) => void;

export interface EngineGuardOptions {
  corsOrigins: ReadonlySet<string>;
  /** While true, new sessions are refused so clients reconnect elsewhere. */
  draining(): boolean;
  metrics: Metrics;
  logger: Logger;
}

/** A refused origin is logged once per this window, so that a busy page cannot flood the log. */
const ORIGIN_WARNING_WINDOW_MS = 60_000;
/** Distinct origins warned about per window; more are counted in the metric only. */
const ORIGIN_WARNINGS_MAX = 1000;
/** Origin headers are the client's to choose: only this much of one reaches the log. */
const ORIGIN_LOGGED_MAX = 200;

/**
 * Engine.IO middleware for every polling request and WebSocket upgrade.
 * Foreign browser origins get a 403 that their pages may read (CORS does not
 * protect WebSocket, so this is the only Cross-Site WebSocket Hijacking
 * defence), and the log a warning naming the origin; new sessions on a
 * draining instance get 503. Engine.IO's own refusals answer upgrades with
 * 400, so the answer is written here and the request then failed quietly.
 */
export function engineGuard(options: EngineGuardOptions) {
  const warned = new OncePerWindow(ORIGIN_WARNING_WINDOW_MS, ORIGIN_WARNINGS_MAX);
  return (req: IncomingMessage, res: ServerResponse | { socket: Duplex }, next: Next) => {
    const { origin } = req.headers;
    if (!originAllowed(origin, req.headers.host, options.corsOrigins)) {
      options.metrics.handshakeRejections.inc({ reason: "origin" });
      const logged = String(origin).slice(0, ORIGIN_LOGGED_MAX);
      if (warned.take(logged)) {
        options.logger.warn(
          { origin: logged, reason: "origin not allowed", variable: "CORS_ORIGINS" },
          `refused Socket.IO connections from the pages of ${logged}: ` +
            "add that origin to CORS_ORIGINS to let them connect",
        );
      }
      return refuse(res, next, 403, "origin not allowed", readableRefusalHeaders(origin));
    }
    // An empty `sid=` starts a new session too, as Engine.IO reads it.
    if (options.draining() && !new URL(req.url ?? "/", "http://x").searchParams.get("sid")) {
      options.metrics.handshakeRejections.inc({ reason: "draining" });
      return refuse(res, next, 503, "instance is shutting down; connect again");
    }
    next();
    // Engine.IO's stand-in response for an upgrade stays referenced by the
    // TCP socket's close listener for the connection's whole life, and with
    // it the upgrade request (headers and all): kilobytes per idle viewer.
    // Its only later use, setHeader, is for middlewares, and this one runs last.
    if (!(res instanceof ServerResponse)) (res as { req?: unknown }).req = null;
  };
}

function refuse(
  res: ServerResponse | { socket: Duplex },
  next: Next,
  status: number,
  message: string,
  headers: Record<string, string> = {},
) {
  const body = JSON.stringify({ code: status, message });
  if (res instanceof ServerResponse) {
    res.writeHead(status, { ...headers, "Content-Type": "application/json" }).end(body);
  } else {
    const reason = status === 403 ? "Forbidden" : "Service Unavailable";
    res.socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  next(new Error(message));
}
