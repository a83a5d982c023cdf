import { RedisCluster } from "../../scripts/redis-cluster.js";
import { redisPid } from "./bench-redis.js";
import { onCleanup, trackPid } from "./cleanup.js";
import type { Measured } from "./cpu-meter.js";
import { pin } from "./pinned-node.js";

/**
 * A private Redis Cluster (RedisCluster's default shape: 3 primaries, each
 * with a replica, nothing on disk) with every node pinned to `core`, as
 * BenchRedis is, so the server core still measures the servers alone. Every
 * node is measured: the replicas' share of the work is part of what a
 * cluster costs.
 */
export class BenchRedisCluster {
  private constructor(
    private readonly cluster: RedisCluster,
    private readonly pids: readonly number[],
    private readonly core: number,
    private readonly forget: ReadonlyArray<() => void>,
  ) {}

  static async start(core: number): Promise<BenchRedisCluster> {
    const cluster = await RedisCluster.start();
    // Registered before anything else can fail, so a bench ended meanwhile stops it too.
    const forget = [onCleanup(() => cluster.stop())];
    try {
      const pids = await Promise.all(cluster.nodes.map(redisPid));
      for (const pid of pids) {
        forget.push(trackPid(pid));
        pin(pid, core);
      }
      return new BenchRedisCluster(cluster, pids, core, forget);
    } catch (err) {
      await cluster.stop();
      throw err;
    }
  }

  /** As REDIS_CLUSTER_NODES takes them. */
  get seeds(): string {
    return this.cluster.seeds;
  }

  get size(): number {
    return this.pids.length;
  }

  measured(): Measured[] {
    return this.pids.map((pid, index) => ({
      name: `redis node ${index + 1}`,
      pid,
      core: this.core,
      server: false,
      redis: true,
    }));
  }

  async flush(): Promise<void> {
    await this.cluster.flushAll();
  }

  /** Stops every node; its pids are no longer the bench's to kill at exit. */
  async stop(): Promise<void> {
    await this.cluster.stop();
    for (const untrack of this.forget) untrack();
  }
}
