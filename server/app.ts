import { createServer, type Server as HttpServer } from "node:http";
import express from "express";
import { Server } from "socket.io";
import type { Backend } from "./backends/backend.js";
import { Credentials } from "./auth/credentials.js";
import { JwtVerifier } from "./auth/jwt-verifier.js";
import { chatHandlers } from "./chat/chat-namespace.js";
import { createChatRelay, createDeletionRelay } from "./chat/chat-relay.js";
import { ChatService } from "./chat/chat-service.js";
import { PresenceTracker } from "./chat/presence-tracker.js";
import { roomsRouter } from "./chat/rooms-router.js";
import type { Config } from "./config.js";
import { closeClientsGradually } from "./drain.js";
import { apiErrorHandler, refuseEmptyBody, sendError } from "./http/api-errors.js";
import { apiDocsRouter } from "./http/api-docs-router.js";
import { apiOrigin } from "./http/api-origin.js";
import { healthRouter } from "./http/health-router.js";
import { staticAssets } from "./http/static-assets.js";
import type { Logger } from "./logger.js";
import { createMetrics } from "./metrics.js";
import { depthGuardedParser } from "./realtime/depth-guarded-parser.js";
import { engineGuard } from "./realtime/engine-guard.js";
import { routeEvents } from "./realtime/event-router.js";
import { handshake } from "./realtime/handshake.js";
import { contractNamespaces } from "./realtime/namespaces.js";
import { prefixSessionIds } from "./realtime/session-id.js";
import { SlowSocketGuard } from "./realtime/slow-socket-guard.js";
import { Sweeper } from "./realtime/sweeper.js";
import { matchesRouter } from "./scores/matches-router.js";
import { scoresHandlers } from "./scores/scores-namespace.js";
import { createScoresRelay } from "./scores/scores-relay.js";
import { ScoresService } from "./scores/scores-service.js";

/** How often this instance proves it is alive for presence counts. */
const PRESENCE_HEARTBEAT_MS = 5000;

export interface Components {
  backend: Backend;
  logger: Logger;
  /** A server already listening (answering while the backend connected); a new one if absent. */
  server?: HttpServer;
}

export interface App {
  /** The caller listens, before or after creating the app. */
  server: HttpServer;
  io: Server;
  /**
   * SIGTERM: `/readyz` turns 503 and new sessions are refused at once, then
   * clients are disconnected in batches over `windowMs`, then everything
   * closes. Resolves with the number of clients disconnected.
   */
  drain(windowMs: number): Promise<number>;
  /** Closes Socket.IO, the HTTP server, the timers and the backend. */
  close(): Promise<void>;
}

/** Builds the service from its config and components; reads no environment, listens nowhere. */
export function createApp(config: Config, { backend, logger, ...given }: Components): App {
  const { limits } = config;
  const corsOrigins = new Set(config.corsOrigins);
  let draining = false;

  const web = express();
  web.disable("x-powered-by");
  web.set("etag", false);
  const server = given.server ?? createServer();
  // Whatever answered before the backend was connected steps aside.
  server.removeAllListeners("request");
  server.on("request", web);
  const io = new Server(server, {
    serveClient: false,
    maxHttpBufferSize: limits.maxMessageBytes,
    perMessageDeflate: false,
    cleanupEmptyChildNamespaces: false,
    parser: depthGuardedParser(limits.maxPayloadDepth),
    ...(corsOrigins.size > 0 ? { cors: { origin: [...corsOrigins], credentials: true } } : {}),
    ...(backend.adapter ? { adapter: backend.adapter as never } : {}),
  });

  const { scores: scoresNsp, chat: chatNsp } = contractNamespaces(io);
  const metrics = createMetrics({
    connections: () =>
      [scoresNsp, chatNsp].flatMap((nsp) => {
        const byTransport = new Map<string, number>();
        for (const socket of nsp.sockets.values()) {
          const transport = socket.conn.transport.name;
          byTransport.set(transport, (byTransport.get(transport) ?? 0) + 1);
        }
        return [...byTransport].map(([transport, count]) => ({
          namespace: nsp.name,
          transport,
          count,
        }));
      }),
    ...(backend.mode !== "memory" ? { redisUp: backend.ready } : {}),
  });

  prefixSessionIds(io, config.instanceId);
  io.engine.use(engineGuard({ corsOrigins, draining: () => draining, metrics, logger }));
  // Socket.IO's memory guide: nothing needs the handshake request (headers,
  // raw socket references) once the session is open; idle viewers are the
  // bulk of the connections.
  io.engine.on("connection", (raw: { request: unknown }) => {
    raw.request = null;
  });
  // The contract defines no events on the main namespace.
  io.of("/").use((_socket, next) => next(new Error("not_found")));
  const credentials = new Credentials(
    config.publishTokens,
    config.moderatorTokens,
    config.jwt && new JwtVerifier(config.jwt),
  );
  for (const [nsp, identify] of [
    [scoresNsp, false],
    [chatNsp, true],
  ] as const) {
    const auth = handshake(credentials, limits, identify, logger);
    nsp.use((socket, next) =>
      auth(socket, (err) => {
        if (err) metrics.handshakeRejections.inc({ reason: err.message });
        next(err);
      }),
    );
  }

  const deps = { peers: backend.peers, logger, metrics };
  const scoresRelay = createScoresRelay(scoresNsp, backend.matches, deps);
  const chatRelay = createChatRelay(chatNsp, backend.messages, deps);
  const deletionRelay = createDeletionRelay(chatNsp, backend.messages, deps);
  const scores = new ScoresService(backend.matches, scoresRelay);
  const chat = new ChatService(backend.messages, chatRelay, deletionRelay, backend.mutes, limits);
  const presence = new PresenceTracker(chatNsp, backend.presence, {
    peers: backend.peers,
    heartbeatMs: PRESENCE_HEARTBEAT_MS,
    logger,
  });
  const router = { maxPayloadDepth: limits.maxPayloadDepth, logger, metrics };
  routeEvents(scoresNsp, scoresHandlers(scores, scoresRelay, limits), router);
  routeEvents(
    chatNsp,
    chatHandlers(chat, chatRelay, deletionRelay, presence, limits, config.guestChat),
    router,
  );

  const sweeper = new Sweeper([scoresRelay, chatRelay, deletionRelay], logger);
  const slowSockets = new SlowSocketGuard(io, limits.slowSocketBytes, metrics, logger);
  const onRecovered = () => {
    sweeper.sweepNow();
    presence.resync();
  };
  backend.events?.on("recovered", onRecovered);

  const api = express.Router();
  api.use(apiOrigin(corsOrigins));
  api.use(
    express.json({ limit: limits.maxMessageBytes, type: () => true, verify: refuseEmptyBody }),
  );
  api.use(
    matchesRouter(scores, {
      credentials,
      maxPayloadDepth: limits.maxPayloadDepth,
    }),
  );
  api.use(roomsRouter(chat, credentials));
  api.use((_req, res) => sendError(res, { code: "not_found", message: "no such API route" }));
  api.use(apiErrorHandler(logger));
  web.use("/api", (_req, res, next) => {
    res.set("Cache-Control", "no-store");
    next();
  });
  web.use("/api", api);
  web.use(
    healthRouter({
      registry: metrics.registry,
      notReady: () => {
        if (draining) return "draining";
        if (!backend.ready()) return "redis unreachable";
        return undefined;
      },
    }),
  );

  web.use(apiDocsRouter());
  web.use(staticAssets());

  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= (async () => {
      sweeper.stop();
      slowSockets.stop();
      backend.events?.off("recovered", onRecovered);
      scoresRelay.cancelWaiters();
      await io.close();
      // After the sockets left: nothing counts this instance again once it retired.
      await presence.stop().catch(() => undefined);
      server.closeAllConnections();
      await backend.close();
    })());

  return {
    server,
    io,
    async drain(windowMs) {
      draining = true;
      logger.info({ windowMs }, "draining");
      scoresRelay.cancelWaiters();
      const count = await closeClientsGradually(io, windowMs);
      await close();
      return count;
    },
    close,
  };
}
