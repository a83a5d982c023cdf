import { randomBytes } from "node:crypto";
import { createClient, createCluster } from "redis";
import type { MessageStore } from "../../server/chat/message-store.js";
import { MemoryMessageStore } from "../../server/chat/memory-message-store.js";
import { MemoryMuteStore } from "../../server/chat/memory-mute-store.js";
import type { MuteStore } from "../../server/chat/mute-store.js";
import { MemoryPresenceStore } from "../../server/chat/memory-presence-store.js";
import type { PresenceStore } from "../../server/chat/presence-store.js";
import { RedisMessageStore } from "../../server/chat/redis-message-store.js";
import { RedisMuteStore } from "../../server/chat/redis-mute-store.js";
import { RedisPresenceStore } from "../../server/chat/redis-presence-store.js";
import type { RedisCommands } from "../../server/redis/types.js";
import type { MatchStore } from "../../server/scores/match-store.js";
import { MemoryMatchStore } from "../../server/scores/memory-match-store.js";
import {
  RedisMatchStore,
  type RedisMatchStoreOptions,
} from "../../server/scores/redis-match-store.js";
import { RedisCluster } from "./redis-cluster.js";
import { RedisServer } from "./redis-server.js";

/** A way to make fresh, empty stores: one per backend, for the shared contract suites. */
export interface StoreFactory {
  name: string;
  /** `options` shape a Redis store only: the contract holds whatever they are. */
  matches(options?: RedisMatchStoreOptions): MatchStore;
  messages(): MessageStore;
  /**
   * A mute store, and how long a key of it has left to live: Redis's TTL, or
   * for memory the end as its injected clock `now` sees it.
   */
  mutes(now: () => number): {
    store: MuteStore;
    ttl(userId: string, room?: string): Promise<number>;
  };
  /** Presence stores of `count` instances sharing one state. */
  presence(count: number, ttlMs?: number): PresenceStore[];
  setUp(): Promise<void>;
  tearDown(): Promise<void>;
}

export const memoryStores: StoreFactory = {
  name: "memory",
  matches: () => new MemoryMatchStore(),
  messages: () => new MemoryMessageStore(),
  mutes: (now) => {
    const store = new MemoryMuteStore(now);
    return {
      store,
      ttl: async (userId, room = "") => ((await store.mutedUntil(userId, room)) ?? now()) - now(),
    };
  },
  presence: (count) => {
    const store = new MemoryPresenceStore();
    return Array.from({ length: count }, () => store);
  },
  setUp: async () => {},
  tearDown: async () => {},
};

/** A Redis of the suite's own (one server or a cluster), and a client of it. */
interface RedisUnderTest {
  client: RedisCommands;
  stop(): Promise<void>;
}

/** Stores on a Redis of the suite's own; each call gets a fresh key prefix. */
function storesOn(name: string, start: () => Promise<RedisUnderTest>): StoreFactory {
  let redis: RedisUnderTest;
  const prefix = () => `t${randomBytes(4).toString("hex")}:`;
  return {
    name,
    matches: (options) => new RedisMatchStore(redis.client, prefix(), options),
    messages: () => new RedisMessageStore(redis.client, prefix()),
    mutes: () => {
      const store = new RedisMuteStore(redis.client, prefix());
      return { store, ttl: async (userId, room) => redis.client.pTTL(store.key(userId, room)) };
    },
    presence: (count, ttlMs = 15_000) => {
      const shared = prefix();
      return Array.from(
        { length: count },
        (_, i) => new RedisPresenceStore(redis.client, shared, `instance-${i}`, ttlMs),
      );
    },
    async setUp() {
      redis = await start();
    },
    tearDown: () => redis.stop(),
  };
}

/** A client of a server the suite started: closing it stops the server too. */
async function clientOf<
  C extends RedisCommands & { connect(): Promise<unknown>; close(): Promise<void> },
>(
  client: C & { on(event: "error", listener: () => void): unknown },
  server: { stop(): Promise<void> },
): Promise<RedisUnderTest> {
  client.on("error", () => {});
  await client.connect();
  return {
    client,
    async stop() {
      await client.close();
      await server.stop();
    },
  };
}

export const redisStores = (): StoreFactory =>
  storesOn("redis", async () => {
    const server = await RedisServer.start();
    return clientOf(createClient({ url: server.url }), server);
  });

/** The same stores on a Redis Cluster: every command and script must stay within one slot. */
export const redisClusterStores = (): StoreFactory =>
  storesOn("redis-cluster", async () => {
    const cluster = await RedisCluster.start();
    return clientOf(createCluster({ rootNodes: cluster.nodes.map((url) => ({ url })) }), cluster);
  });
