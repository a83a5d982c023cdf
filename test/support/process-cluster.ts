import { Haproxy } from "../../scripts/haproxy.js";
import type { ServiceProcess } from "../../scripts/service-process.js";
import { startProcessInstance } from "./process-instance.js";
import { RedisServer, type RedisServerOptions } from "./redis-server.js";

/**
 * The production shape around a suite: a Redis of its own, three instances in
 * child processes (so they can be signalled) and HAProxy running
 * `deploy/haproxy.cfg` in front of them.
 */
export function useProcessCluster(options: RedisServerOptions & { env: Record<string, string> }) {
  const cluster = {
    redis: undefined as unknown as RedisServer,
    instances: [] as ServiceProcess[],
    proxy: undefined as unknown as Haproxy,
  };
  before(async () => {
    cluster.redis = await RedisServer.start(options);
    cluster.instances = await Promise.all(
      [0, 1, 2].map(() => startProcessInstance({ REDIS_URL: cluster.redis.url, ...options.env })),
    );
    cluster.proxy = await Haproxy.start(cluster.instances.map((i) => Number(new URL(i.url).port)));
  });
  after(async () => {
    await cluster.proxy?.stop();
    await Promise.all(cluster.instances.map((i) => i.stop()));
    await cluster.redis?.stop();
  });
  return cluster;
}
