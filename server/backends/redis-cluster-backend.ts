import type { Logger } from "../logger.js";
import { shardedPeers } from "../peers/sharded-peers.js";
import { connectRedisCluster } from "../redis/cluster-connection.js";
import { primaryOnly } from "../redis/types.js";
import type { Backend } from "./backend.js";
import { redisStores } from "./redis-backend.js";

/**
 * Index shards of the match list on a cluster: enough to spread it over
 * dozens of shards, few enough that listing every match stays cheap.
 */
export const CLUSTER_INDEX_BUCKETS = 64;

export interface RedisClusterBackendOptions {
  nodes: readonly string[];
  prefix: string;
  waitReplicas: number;
  logger: Logger;
}

/**
 * State sharded by match and by room over a Redis Cluster; items travel
 * between instances on sharded channels, one per match and room, so each
 * instance receives what its own clients follow. No Socket.IO adapter: its
 * dynamic mode would hand items to sockets past the relays (which order,
 * deduplicate and repair them), and nothing else crosses instances.
 */
export async function connectRedisClusterBackend(
  options: RedisClusterBackendOptions,
): Promise<Backend> {
  const { nodes, prefix, waitReplicas, logger } = options;
  const cluster = await connectRedisCluster(nodes, logger);
  const replicated = waitReplicas > 0 ? cluster.replicated(waitReplicas) : primaryOnly;
  return {
    mode: "redis-cluster",
    ...redisStores(
      cluster.commands,
      prefix,
      { indexBuckets: CLUSTER_INDEX_BUCKETS, replicated },
      logger,
    ),
    peers: shardedPeers(cluster.pubSub, prefix),
    ready: cluster.up,
    events: cluster.events,
    close: cluster.close,
  };
}
