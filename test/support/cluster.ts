import { Instance } from "./instances.js";
import { RedisServer, type RedisServerOptions } from "./redis-server.js";

/** A Redis of the suite's own and `size` instances on it, set up and torn down around a suite. */
export function useCluster(
  size: number,
  options: RedisServerOptions & { env?: Record<string, string> } = {},
) {
  const cluster = { redis: undefined as unknown as RedisServer, instances: [] as Instance[] };
  before(async () => {
    cluster.redis = await RedisServer.start(options);
    cluster.instances = await Instance.cluster(cluster.redis.url, size, options.env);
  });
  after(async () => {
    await Promise.all(cluster.instances.map((instance) => instance.close()));
    await cluster.redis.stop();
  });
  return cluster;
}
