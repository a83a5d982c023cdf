import { BenchRedisCluster } from "../support/bench-redis-cluster.js";
import { sleep } from "../support/clock.js";
import { CpuMeter, type Measured } from "../support/cpu-meter.js";
import { matchday } from "../targets/matchday.js";
import { LOAD_CORE } from "../targets/target.js";
import { runFanout, type BenchContext, type FanoutPlan, type FanoutResult } from "./fanout.js";

export interface RedisClusterResult {
  /** Nodes of the cluster (primaries and replicas), whose CPU is summed as its Redis CPU. */
  nodes: number;
  /** Two matchday instances sharing the bench's one Redis. */
  oneRedis: FanoutResult;
  /** The same two on a Redis Cluster of their own. */
  cluster: FanoutResult;
  /**
   * Redis CPU with no server connected, percent of a core: a cost per second,
   * not per delivery, that the per-delivery figures include at their rate.
   */
  idleRedisPercent: { oneRedis: number; cluster: number };
  /** The most of a core other work took in either, percent. */
  foreignPercent: number;
}

/** Long enough for the idle cost to span several of Redis's 100 ms cron ticks. */
const IDLE_MS = 2000;

/**
 * What a Redis Cluster costs a pair of matchday instances next to one Redis:
 * the fan-out (viewers split over both instances, publishing on the first)
 * run on each, one after the other, at the same level. The cluster starts
 * only once the one-Redis run is done, so its idle nodes (cluster-bus pings,
 * cron) are no other work there, and is stopped right after its own run.
 */
export async function runRedisCluster(
  plan: FanoutPlan,
  ctx: BenchContext,
): Promise<RedisClusterResult> {
  const oneRedisIdle = await idlePercent([ctx.redis.measured()]);
  const oneRedis = await runFanout(matchday, "pair", plan, ctx);
  const cluster = await BenchRedisCluster.start(LOAD_CORE);
  try {
    const clusterIdle = await idlePercent(cluster.measured());
    const clustered = await runFanout(matchday, "pair", plan, { ...ctx, cluster });
    return {
      nodes: cluster.size,
      oneRedis,
      cluster: clustered,
      idleRedisPercent: { oneRedis: oneRedisIdle, cluster: clusterIdle },
      foreignPercent: Math.max(oneRedis.foreignPercent, clustered.foreignPercent),
    };
  } finally {
    await cluster.stop();
  }
}

async function idlePercent(redis: readonly Measured[]): Promise<number> {
  const meter = new CpuMeter(redis);
  meter.start();
  await sleep(IDLE_MS);
  const { redisCpuMs, seconds } = meter.stop();
  return redisCpuMs / seconds / 10;
}
