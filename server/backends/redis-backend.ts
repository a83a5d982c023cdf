import { randomBytes } from "node:crypto";
import { createAdapter } from "@socket.io/redis-adapter";
import { PRESENCE_EXPIRY_MS } from "../../contract/index.js";
import { RedisMessageStore } from "../chat/redis-message-store.js";
import { RedisMuteStore } from "../chat/redis-mute-store.js";
import { RedisPresenceStore } from "../chat/redis-presence-store.js";
import type { Logger } from "../logger.js";
import { connectRedis } from "../redis/connection.js";
import { RedisMatchStore } from "../scores/redis-match-store.js";
import type { Backend } from "./backend.js";

/** An instance that beats for this long without being heard is dead: half the contract's bound. */
export const PRESENCE_TTL_MS = PRESENCE_EXPIRY_MS / 2;

export interface RedisBackendOptions {
  url: string;
  prefix: string;
  logger: Logger;
}

/** State in Redis and fan-out through the Redis adapter: any number of instances. */
export async function connectRedisBackend(options: RedisBackendOptions): Promise<Backend> {
  const { url, prefix, logger } = options;
  const redis = await connectRedis(url, logger);
  const instanceId = randomBytes(9).toString("base64url");
  logger.info({ instanceId }, "instance registered for presence");
  return {
    mode: "redis",
    matches: new RedisMatchStore(redis.client, prefix),
    messages: new RedisMessageStore(redis.client, prefix),
    mutes: new RedisMuteStore(redis.client, prefix),
    presence: new RedisPresenceStore(redis.client, prefix, instanceId, PRESENCE_TTL_MS),
    adapter: createAdapter(redis.adapterPublisher, redis.subscriber, {
      key: `${prefix}socket.io`,
    }),
    ready: redis.up,
    events: redis.events,
    close: redis.close,
  };
}
