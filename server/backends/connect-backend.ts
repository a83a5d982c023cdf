import type { Config } from "../config.js";
import type { Logger } from "../logger.js";
import type { Backend } from "./backend.js";
import { createMemoryBackend } from "./memory-backend.js";
import { connectRedisBackend } from "./redis-backend.js";
import { connectRedisClusterBackend } from "./redis-cluster-backend.js";

/** The backend the configuration names: a Redis Cluster, one Redis, or memory. */
export function connectBackend(config: Config, logger: Logger): Promise<Backend> {
  const common = { prefix: config.redisPrefix, waitReplicas: config.redisWaitReplicas, logger };
  if (config.redisClusterNodes.length > 0) {
    return connectRedisClusterBackend({ nodes: config.redisClusterNodes, ...common });
  }
  if (config.redisUrl !== undefined)
    return connectRedisBackend({ url: config.redisUrl, ...common });
  return Promise.resolve(createMemoryBackend());
}
