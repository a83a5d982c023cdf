import { ServerResponse, type IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { originAllowed } from "../http/origin.js";
import type { Metrics } from "../metrics.js";

type Next = (err?: Error) => void;

export interface EngineGuardOptions {
  corsOrigins: ReadonlySet<string>;
  /** While true, new sessions are refused so clients reconnect elsewhere. */
  draining(): boolean;
  metrics: Metrics;
}

/**
 * Engine.IO middleware for every polling request and WebSocket upgrade:
 * foreign browser origins get 403 (CORS does not protect WebSocket, so this
 * is the only Cross-Site WebSocket Hijacking defence), new sessions on a
 * draining instance get 503. Engine.IO's own refusals answer upgrades with
 * 400, so the answer is written here and the request then failed quietly.
 */
export function engineGuard(options: EngineGuardOptions) {
  return (req: IncomingMessage, res: ServerResponse | { socket: Duplex }, next: Next) => {
    if (!originAllowed(req.headers.origin, req.headers.host, options.corsOrigins)) {
      options.metrics.handshakeRejections.inc({ reason: "origin" });
      return refuse(res, next, 403, "origin not allowed");
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
) {
  const body = JSON.stringify({ code: status, message });
  if (res instanceof ServerResponse) {
    res.writeHead(status, { "Content-Type": "application/json" }).end(body);
  } else {
    const reason = status === 403 ? "Forbidden" : "Service Unavailable";
    res.socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  next(new Error(message));
}
