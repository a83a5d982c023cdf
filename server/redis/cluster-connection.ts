import { EventEmitter } from "node:events";
import calculateSlot from "cluster-key-slot";
import { createCluster } from "redis";
import { deadline } from "../deadline.js";
import type { Logger } from "../logger.js";
import {
  CLOSE_WAIT_MS,
  PING_EVERY_MS,
  RETRY_LOG_EVERY_MS,
  reachability,
  redactUrl,
  reconnectStrategy,
} from "./connection.js";
import type { RedisCommands, Replicated } from "./types.js";
import { waitReplicas } from "./wait-replicas.js";

type RedisCluster = ReturnType<typeof createCluster>;
type Listener = (message: string) => void;

/** Sharded pub/sub (`SPUBLISH`/`SSUBSCRIBE`): each channel lives on the shard of its slot. */
export interface ShardedPubSub {
  /** Fire and forget: a lost message is repaired by whoever receives the channel. */
  publish(channel: string, message: string): void;
  /** Idempotent; kept through reconnections and failovers until {@link unsubscribe}. */
  subscribe(channel: string, listener: Listener): void;
  unsubscribe(channel: string): void;
}

export interface ClusterConnection {
  commands: RedisCommands;
  pubSub: ShardedPubSub;
  /** `WAIT` for `replicas` after each change, on the change's shard. */
  replicated(replicas: number): Replicated;
  /** Whether any shard answers: the instance reaches the cluster at all. */
  up(): boolean;
  /** Fires when a shard serves again (reconnected, or failed over to a replica). */
  events: EventEmitter<{ recovered: [] }>;
  close(): Promise<void>;
}

interface Subscription {
  listener: Listener;
  /** The primary the channel is subscribed on; undefined while it is not. */
  on: string | undefined;
  attaching: boolean;
}

/**
 * Keeps sharded subscriptions on the primary that serves each channel's slot.
 * node-redis moves them when a slot migrates, but not when a primary dies and
 * its replica takes over: its connections are dropped with their listeners.
 */
class ShardedSubscriptions implements ShardedPubSub {
  private readonly wanted = new Map<string, Subscription>();

  constructor(
    private readonly cluster: RedisCluster,
    private readonly onError: (err: Error) => void,
  ) {}

  publish(channel: string, message: string): void {
    this.cluster.sPublish(channel, message).catch(this.onError);
  }

  subscribe(channel: string, listener: Listener): void {
    if (this.wanted.has(channel)) return;
    // A listener of its own: a late attach of an earlier subscription to the
    // channel removes only that one's.
    const own: Listener = (message) => listener(message);
    this.wanted.set(channel, { listener: own, on: undefined, attaching: false });
    void this.attach(channel);
  }

  unsubscribe(channel: string): void {
    const subscription = this.wanted.get(channel);
    this.wanted.delete(channel);
    if (subscription?.on !== undefined) {
      this.cluster.sUnsubscribe(channel, subscription.listener).catch(this.onError);
    }
  }

  /** Subscribes again each channel whose slot changed primary, or that is not subscribed yet. */
  reattach(): void {
    for (const [channel, subscription] of this.wanted) {
      if (!subscription.attaching && subscription.on !== this.primaryOf(channel)) {
        void this.attach(channel);
      }
    }
  }

  private async attach(channel: string): Promise<void> {
    const subscription = this.wanted.get(channel);
    if (!subscription || subscription.attaching) return;
    subscription.attaching = true;
    const primary = this.primaryOf(channel);
    try {
      await this.cluster.sSubscribe(channel, subscription.listener);
      subscription.on = primary;
    } catch (err) {
      // Tried again by the next health check that finds the shard serving.
      subscription.on = undefined;
      this.onError(err as Error);
    } finally {
      subscription.attaching = false;
    }
    if (this.wanted.get(channel) !== subscription && subscription.on !== undefined) {
      this.cluster.sUnsubscribe(channel, subscription.listener).catch(this.onError);
    }
  }

  private primaryOf(channel: string): string | undefined {
    return this.cluster.slots[calculateSlot(channel)]?.master.address;
  }
}

/**
 * Connects to a Redis Cluster from its seed nodes, waiting for it at start.
 * Commands fail fast while their shard is unreachable; a health check pings
 * every primary and, when one stops answering, asks a live one for the
 * current topology, so a promoted replica is found without waiting for a
 * command to be redirected.
 */
export async function connectRedisCluster(
  seeds: readonly string[],
  logger: Logger,
): Promise<ClusterConnection> {
  const cluster: RedisCluster = createCluster({
    rootNodes: seeds.map((url) => ({ url })),
    defaults: {
      disableOfflineQueue: true,
      socket: { connectTimeout: 2000, reconnectStrategy },
    },
  });
  const lost = new Set<string>();
  cluster.on("error", (err: Error) => logger.debug({ err: err.message }, "redis cluster error"));
  cluster.on("node-error", (err: Error, node: { host: string; port: number }) => {
    const address = `${node.host}:${node.port}`;
    if (!lost.has(address)) logger.warn({ err: err.message, node: address }, "redis node lost");
    lost.add(address);
  });
  const events = new EventEmitter<{ recovered: [] }>();
  const { setUp, answering } = reachability(logger, events);
  const subscriptions = new ShardedSubscriptions(cluster, (err) =>
    logger.debug({ err: err.message }, "sharded pub/sub failed"),
  );

  let lastRetryLog = Number.NEGATIVE_INFINITY;
  logger.info({ nodes: seeds.map(redactUrl) }, "connecting to redis cluster");
  for (;;) {
    try {
      await cluster.connect();
      break;
    } catch (err) {
      if (performance.now() - lastRetryLog >= RETRY_LOG_EVERY_MS) {
        lastRetryLog = performance.now();
        logger.warn({ err: (err as Error).message }, "redis cluster not reachable; retrying");
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  setUp(true);

  /** Primaries that did not answer the last check: each is recovered once it does, or is replaced. */
  let failing = new Set<string>();
  let checking = false;
  const check = async () => {
    if (checking) return;
    checking = true;
    try {
      const masters = cluster.masters;
      const answers = await Promise.all(
        masters.map(async (master) => {
          try {
            const client = await cluster.nodeClient(master);
            await deadline(client.ping(), PING_EVERY_MS, "ping");
            return { address: master.address, client };
          } catch {
            return { address: master.address, client: undefined };
          }
        }),
      );
      const live = answers.filter((answer) => answer.client !== undefined);
      const down = new Set(answers.filter((a) => !a.client).map((a) => a.address));
      setUp(live.length > 0);
      let recovered = [...failing].some((address) => !down.has(address));
      if (down.size > 0 && live[0]?.client) {
        const view = await live[0].client.sendCommand<Array<[number, number, [string, number]]>>([
          "CLUSTER",
          "SLOTS",
        ]);
        const primaries = new Set(view.map(([, , [host, port]]) => `${host}:${port}`));
        if ([...down].some((address) => !primaries.has(address))) {
          await cluster._slots.rediscover(live[0].client);
          logger.info({ replaced: [...down] }, "redis cluster failed over");
          recovered = true;
        }
      }
      for (const address of failing) if (!down.has(address)) lost.delete(address);
      failing = down;
      subscriptions.reattach();
      if (recovered) events.emit("recovered");
    } catch (err) {
      logger.debug({ err: (err as Error).message }, "redis cluster check failed");
    } finally {
      checking = false;
    }
  };
  const timer = setInterval(() => void check(), PING_EVERY_MS);

  return {
    commands: cluster,
    pubSub: subscriptions,
    replicated: (replicas) =>
      waitReplicas(replicas, (key, args) => cluster.sendCommand<number>(key, false, args)),
    up: answering,
    events,
    async close() {
      clearInterval(timer);
      await deadline(cluster.close(), CLOSE_WAIT_MS, "closing redis cluster").catch(() =>
        cluster.destroy(),
      );
    },
  };
}
