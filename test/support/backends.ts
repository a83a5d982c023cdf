import { randomBytes } from "node:crypto";
import { createClient } from "redis";
import type { MessageStore } from "../../server/chat/message-store.js";
import { MemoryMessageStore } from "../../server/chat/memory-message-store.js";
import { MemoryMuteStore } from "../../server/chat/memory-mute-store.js";
import type { MuteStore } from "../../server/chat/mute-store.js";
import { MemoryPresenceStore } from "../../server/chat/memory-presence-store.js";
import type { PresenceStore } from "../../server/chat/presence-store.js";
import { RedisMessageStore } from "../../server/chat/redis-message-store.js";
import { RedisMuteStore } from "../../server/chat/redis-mute-store.js";
import { RedisPresenceStore } from "../../server/chat/redis-presence-store.js";
import type { RedisClient } from "../../server/redis/types.js";
import type { MatchStore } from "../../server/scores/match-store.js";
import { MemoryMatchStore } from "../../server/scores/memory-match-store.js";
import { RedisMatchStore } from "../../server/scores/redis-match-store.js";
import { RedisServer } from "./redis-server.js";

/** A way to make fresh, empty stores: one per backend, for the shared contract suites. */
export interface StoreFactory {
  name: string;
  matches(): MatchStore;
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

/** Stores on a Redis of the suite's own; each call gets a fresh key prefix. */
export function redisStores(): StoreFactory {
  let server: RedisServer;
  let client: RedisClient;
  const prefix = () => `t${randomBytes(4).toString("hex")}:`;
  return {
    name: "redis",
    matches: () => new RedisMatchStore(client, prefix()),
    messages: () => new RedisMessageStore(client, prefix()),
    mutes: () => {
      const store = new RedisMuteStore(client, prefix());
      return { store, ttl: async (userId, room) => client.pTTL(store.key(userId, room)) };
    },
    presence: (count, ttlMs = 15_000) => {
      const shared = prefix();
      return Array.from(
        { length: count },
        (_, i) => new RedisPresenceStore(client, shared, `instance-${i}`, ttlMs),
      );
    },
    async setUp() {
      server = await RedisServer.start();
      client = createClient({ url: server.url });
      client.on("error", () => {});
      await client.connect();
    },
    async tearDown() {
      await client.close();
      await server.stop();
    },
  };
}
