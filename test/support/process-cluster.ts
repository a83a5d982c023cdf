import { BalancerProcess } from "../../scripts/balancer-process.js";
import { BALANCERS, type BalancerKind } from "../../scripts/balancers.js";
import type { ServiceProcess } from "../../scripts/service-process.js";
import { startProcessInstance } from "./process-instance.js";
import { RedisServer, type RedisServerOptions } from "./redis-server.js";

/**
 * The production shape around a suite: a Redis of its own, three instances in
 * child processes (so they can be signalled), `INSTANCE_ID`s `i0`..`i2`, and a
 * balancer running its recipe of `deploy/` (HAProxy by default) in front of them.
 */
export function useProcessCluster(
  options: RedisServerOptions & { env: Record<string, string>; balancer?: BalancerKind },
) {
  const cluster = {
    redis: undefined as unknown as RedisServer,
    instances: [] as ServiceProcess[],
    proxy: undefined as unknown as BalancerProcess,
  };
  before(async () => {
    cluster.redis = await RedisServer.start(options);
    cluster.instances = await Promise.all(
      [0, 1, 2].map((i) =>
        startProcessInstance({
          REDIS_URL: cluster.redis.url,
          INSTANCE_ID: `i${i}`,
          ...options.env,
        }),
      ),
    );
    cluster.proxy = await BalancerProcess.start(
      BALANCERS[options.balancer ?? "haproxy"],
      cluster.instances.map((instance, i) => ({
        id: `i${i}`,
        port: Number(new URL(instance.url).port),
      })),
    );
  });
  after(async () => {
    await cluster.proxy?.stop();
    await Promise.all(cluster.instances.map((i) => i.stop()));
    await cluster.redis?.stop();
  });
  return cluster;
}
