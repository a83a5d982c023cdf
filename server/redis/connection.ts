import { EventEmitter } from "node:events";
import { createClient } from "redis";
import { deadline } from "../deadline.js";
import type { Logger } from "../logger.js";
import type { RedisClient, Replicated } from "./types.js";
import { waitReplicas } from "./wait-replicas.js";

/** How often Redis is pinged, and how long a ping may take before Redis counts as down. */
export const PING_EVERY_MS = 1000;

/** How often a Redis that stays unreachable is reported. */
export const RETRY_LOG_EVERY_MS = 5000;

/** How long a shutdown waits for Redis to answer before dropping the connections. */
export const CLOSE_WAIT_MS = 2000;

/** Reconnects back off up to 1 s. */
export const reconnectStrategy = (retries: number): number => Math.min(50 * 2 ** retries, 1000);

export interface RedisConnection {
  /** Commands. Fails fast while disconnected instead of queueing. */
  client: RedisClient;
  /** Subscriptions of the Socket.IO adapter. */
  subscriber: RedisClient;
  /** `client` for the adapter: its fire-and-forget publishes never become unhandled rejections. */
  adapterPublisher: RedisClient;
  /** Whether Redis answers now. */
  up(): boolean;
  /** `WAIT` for `replicas` after each change. */
  replicated(replicas: number): Replicated;
  /** Fires whenever Redis is usable again after any interruption. */
  events: EventEmitter<{ recovered: [] }>;
  close(): Promise<void>;
}

/**
 * Connects the command and subscriber clients, waiting for Redis at start.
 * Every client has an `error` listener; reconnects back off up to 1 s.
 */
export async function connectRedis(url: string, logger: Logger): Promise<RedisConnection> {
  const client: RedisClient = createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 2000,
      reconnectStrategy,
    },
  });
  const subscriber = client.duplicate();
  // Pings on a connection of their own: behind a large reply (a join reading
  // a thousand messages) they would wait, and Redis would look down.
  const prober = client.duplicate();
  const events = new EventEmitter<{ recovered: [] }>();
  const { setUp, answering: up } = reachability(logger, events);

  // Every failed attempt errors; one line per RETRY_LOG_EVERY_MS says why
  // the instance waits (at start, it is not ready until Redis answers).
  let lastRetryLog = Number.NEGATIVE_INFINITY;
  const retrying = (err: Error) => {
    const now = performance.now();
    if (now - lastRetryLog < RETRY_LOG_EVERY_MS) return;
    lastRetryLog = now;
    logger.warn({ err: err.message, url: redactUrl(url) }, "redis not reachable; retrying");
  };

  for (const [name, c] of [
    ["commands", client],
    ["subscriber", subscriber],
    ["health", prober],
  ] as const) {
    let connected = false;
    c.on("error", (err: Error) => {
      if (connected) logger.warn({ err: err.message, client: name }, "redis connection lost");
      else if (name === "commands") retrying(err);
      connected = false;
    });
    c.on("ready", () => {
      // The subscriber may have missed broadcasts while it reconnected, even
      // if no ping failed (e.g. CLIENT KILL TYPE pubsub).
      if (!connected && up()) events.emit("recovered");
      connected = true;
    });
  }

  logger.info({ url: redactUrl(url) }, "connecting to redis");
  await Promise.all([client.connect(), subscriber.connect(), prober.connect()]);
  setUp(true);

  let inFlight = false;
  const ping = setInterval(() => {
    if (inFlight || !client.isReady || !subscriber.isReady) return setUp(false);
    inFlight = true;
    prober.ping().then(
      () => {
        inFlight = false;
        setUp(subscriber.isReady);
      },
      () => {
        inFlight = false;
        setUp(false);
      },
    );
  }, PING_EVERY_MS);

  return {
    client,
    subscriber,
    adapterPublisher: catchPublishes(client, (err) =>
      logger.debug({ err: err.message }, "adapter publish failed"),
    ),
    up,
    replicated: (replicas) => waitReplicas(replicas, (_key, args) => client.sendCommand(args)),
    events,
    async close() {
      clearInterval(ping);
      // close() waits for replies, which a paused or unreachable Redis never sends.
      const clients = [client, subscriber, prober];
      const closed = Promise.allSettled(clients.map((c) => c.close()));
      await deadline(closed, CLOSE_WAIT_MS, "closing redis").catch(() => {
        for (const c of clients) if (c.isOpen) c.destroy();
      });
    },
  };
}

/**
 * The adapter calls `publish` without handling its promise; with the offline
 * queue disabled that promise rejects while Redis is down, which would end
 * the process. What a lost publish costs is repaired by the relays.
 */
function catchPublishes(client: RedisClient, onError: (err: Error) => void): RedisClient {
  return new Proxy(client, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (typeof value !== "function") return value;
      if (property === "publish") {
        return (...args: unknown[]) =>
          (value.apply(target, args) as Promise<unknown>).catch(onError);
      }
      return value.bind(target);
    },
  });
}

/** Whether Redis answers, logged on each change; turning reachable again emits `recovered`. */
export function reachability(logger: Logger, events: EventEmitter<{ recovered: [] }>) {
  let answering = false;
  return {
    answering: () => answering,
    setUp(value: boolean) {
      if (value === answering) return;
      answering = value;
      if (value) {
        logger.info("redis is reachable");
        events.emit("recovered");
      } else {
        logger.warn("redis is not reachable");
      }
    },
  };
}

export function redactUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = "***";
  return parsed.toString();
}
