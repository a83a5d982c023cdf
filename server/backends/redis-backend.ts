import { randomBytes } from "node:crypto";
import { createAdapter } from "@socket.io/redis-adapter";
import { PRESENCE_EXPIRY_MS } from "../../contract/index.js";
import { RedisMessageStore } from "../chat/redis-message-store.js";
import { RedisMuteStore } from "../chat/redis-mute-store.js";
import { RedisPresenceStore } from "../chat/redis-presence-store.js";
import type { Logger } from "../logger.js";
import { namespacePeers } from "../peers/namespace-peers.js";
import { connectRedis } from "../redis/connection.js";
import { primaryOnly, type RedisCommands, type Replicated } from "../redis/types.js";
import { RedisMatchStore } from "../scores/redis-match-store.js";
import type { Backend } from "./backend.js";

/** An instance that beats for this long without being heard is dead: half the contract's bound. */
export const PRESENCE_TTL_MS = PRESENCE_EXPIRY_MS / 2;

export interface RedisBackendOptions {
  url: string;
  prefix: string;
  /** REDIS_WAIT_REPLICAS. */
  waitReplicas: number;
  logger: Logger;
}

/** State in Redis and fan-out through the Redis adapter: any number of instances. */
export async function connectRedisBackend(options: RedisBackendOptions): Promise<Backend> {
  const { url, prefix, waitReplicas, logger } = options;
  const redis = await connectRedis(url, logger);
  const replicated = waitReplicas > 0 ? redis.replicated(waitReplicas) : primaryOnly;
  return {
    mode: "redis",
    ...redisStores(redis.client, prefix, { indexBuckets: 1, replicated }, logger),
    adapter: createAdapter(redis.adapterPublisher, redis.subscriber, {
      key: `${prefix}socket.io`,
    }),
    peers: namespacePeers,
    ready: redis.up,
    events: redis.events,
    close: redis.close,
  };
}

export interface StoreOptions {
  /** Index shards of the match list: 1 on one Redis, more to spread it over a cluster. */
  indexBuckets: number;
  replicated: Replicated;
}

/** The four stores on one Redis or a cluster, with the same key layout. */
export function redisStores(
  redis: RedisCommands,
  prefix: string,
  { indexBuckets, replicated }: StoreOptions,
  logger: Logger,
): Pick<Backend, "matches" | "messages" | "mutes" | "presence"> {
  const instanceId = randomBytes(9).toString("base64url");
  logger.info({ instanceId }, "instance registered for presence");
  return {
    matches: new RedisMatchStore(redis, prefix, { indexBuckets, replicated }),
    messages: new RedisMessageStore(redis, prefix, replicated),
    mutes: new RedisMuteStore(redis, prefix, replicated),
    presence: new RedisPresenceStore(redis, prefix, instanceId, PRESENCE_TTL_MS),
  };
}
