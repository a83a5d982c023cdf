import { Instance, type InstanceOptions } from "./instances.js";
import { RedisCluster } from "./redis-cluster.js";
import { RedisServer } from "./redis-server.js";

const MODES = ["memory", "redis", "redis-cluster"] as const;

/** Where a suite's instance keeps its state: started before the suite, stopped after it. */
interface Storage {
  env: Record<string, string>;
  stop(): Promise<void>;
}

async function startStorage(mode: (typeof MODES)[number]): Promise<Storage> {
  if (mode === "redis") {
    const redis = await RedisServer.start();
    return { env: { REDIS_URL: redis.url }, stop: () => redis.stop() };
  }
  if (mode === "redis-cluster") {
    const cluster = await RedisCluster.start();
    return { env: { REDIS_CLUSTER_NODES: cluster.seeds }, stop: () => cluster.stop() };
  }
  return { env: {}, stop: async () => {} };
}

/**
 * Runs a suite against one instance of each backend: memory, a Redis of the
 * suite's own, and a Redis Cluster of its own (six processes).
 */
export function forEachBackend(
  title: string,
  suite: (get: () => Instance) => void,
  options: { env?: Record<string, string> } = {},
): void {
  for (const mode of MODES) {
    describe(`${title} (${mode})`, () => {
      let storage: Storage | undefined;
      let instance: Instance;
      before(async () => {
        storage = await startStorage(mode);
        const start: InstanceOptions = { env: { ...storage.env, ...options.env } };
        instance = await Instance.start(start);
      });
      after(async () => {
        await instance.close();
        await storage?.stop();
      });
      suite(() => instance);
    });
  }
}
