import type { LoadPool } from "../load/load-pool.js";
import type { ConnectReport, ViewerGroup } from "../load/protocol.js";
import type { BenchRedisCluster } from "../support/bench-redis-cluster.js";
import type { BenchRedis } from "../support/bench-redis.js";
import { sleep } from "../support/clock.js";
import { share } from "../support/share.js";
import {
  CpuMeter,
  foreignPercent,
  type CoreLoad,
  type Measured,
  type ProcessLoad,
} from "../support/cpu-meter.js";
import { Publisher } from "../targets/publisher.js";
import type { ServerProcess } from "../targets/server-process.js";
import {
  LOAD_CORE,
  stopDeployment,
  type Deployment,
  type Target,
  type Topology,
} from "../targets/target.js";
import { closedLoop, openLoop, type PhaseContext, type PhaseResult } from "./phase.js";

export const MATCH_ID = "m1";

/** Sizes and rates of one fan-out run. */
export interface FanoutPlan {
  viewers: number;
  /** Connections being opened at once. */
  concurrency: number;
  /** The latency phase offers this many deliveries per second (updates × viewers). */
  latencyDeliveriesPerSecond: number;
  latencySeconds: number;
  throughputSeconds: number;
  /** The throughput phase keeps at most about this many deliveries on their way. */
  deliveriesInFlight: number;
  /** Pause between connecting and reading RSS, so per-connection work settles. */
  settleMs: number;
}

export interface FanoutResult {
  target: Target["id"];
  topology: Topology;
  viewers: number;
  memory: { idleRss: number; loadedRss: number; perViewerBytes: number };
  connect: {
    perSecond: number;
    seconds: number;
    failed: number;
    loads: ProcessLoad[];
    cores: CoreLoad[];
  };
  latency: PhaseResult;
  throughput: PhaseResult;
  /** The most of a core that work outside the bench took during any measured phase, percent. */
  foreignPercent: number;
  /** What the servers logged at warn or above. */
  warnings: string[];
}

export interface BenchContext {
  pool: LoadPool;
  redis: BenchRedis;
  /** When set, matchday pairs share this cluster instead of `redis`, and it is what gets measured. */
  cluster?: BenchRedisCluster;
}

/** The runner itself: it publishes and collects, on the load core. */
const runnerProcess = (): Measured => ({
  name: "runner",
  pid: process.pid,
  core: LOAD_CORE,
  server: false,
});

/** Every process a run measures: the servers, the load workers, the runner and Redis (or every cluster node). */
export function benchProcesses(
  servers: readonly ServerProcess[],
  { pool, redis, cluster }: BenchContext,
): Measured[] {
  return [
    ...servers.map((server) => server.measured()),
    ...pool.measured(),
    runnerProcess(),
    ...(cluster ? cluster.measured() : [redis.measured()]),
  ];
}

/** Splits `viewers` evenly over the servers, each group alike but for its port. */
export function splitViewers(
  servers: readonly ServerProcess[],
  viewers: number,
  group: Omit<ViewerGroup, "port" | "count">,
): ViewerGroup[] {
  return servers.map((server, index) => ({
    ...group,
    port: server.port,
    count: share(viewers, servers.length, index),
  }));
}

/** Viewers of the one match of a fan-out. */
export const scoreViewers = (deployment: Deployment) => ({
  dialect: deployment.dialect,
  subscription: { kind: "scores" as const, matchId: MATCH_ID },
});

/**
 * Runs `run` on fresh servers of `target` (Redis, or the cluster, flushed first); stops them
 * and drops every viewer afterwards, however `run` ends. `nodeFlags`
 * (profiling) stops the servers with SIGINT so they can write their profiles.
 */
export async function withDeployment<T>(
  target: Target,
  topology: Topology,
  { pool, redis, cluster }: BenchContext,
  run: (deployment: Deployment) => Promise<T>,
  nodeFlags?: string[],
): Promise<T> {
  await (cluster ?? redis).flush();
  const deployment = await target.deploy(topology, {
    redis,
    ...(cluster ? { cluster } : {}),
    ...(nodeFlags ? { nodeFlags } : {}),
  });
  try {
    return await run(deployment);
  } finally {
    await stopDeployment(deployment, nodeFlags !== undefined);
    await pool.all("close", {});
  }
}

/** {@link withDeployment}, once a publisher on the first server has created the match. */
export function withMatch<T>(
  target: Target,
  topology: Topology,
  ctx: BenchContext,
  run: (deployment: Deployment, publisher: Publisher) => Promise<T>,
  nodeFlags?: string[],
): Promise<T> {
  return withDeployment(
    target,
    topology,
    ctx,
    async (deployment) => {
      const publisher = await Publisher.open(
        deployment.servers[0].port,
        deployment.dialect,
        deployment.publisherAuth,
        MATCH_ID,
      );
      try {
        return await run(deployment, publisher);
      } finally {
        publisher.close();
      }
    },
    nodeFlags,
  );
}

/** Connects `viewers` of the match, split evenly over the servers; fails when none could. */
export async function connectViewers(
  pool: LoadPool,
  deployment: Deployment,
  viewers: number,
  concurrency: number,
): Promise<ConnectReport> {
  const connected = await pool.connect(
    splitViewers(deployment.servers, viewers, scoreViewers(deployment)),
    concurrency,
  );
  if (connected.connected === 0) throw new Error(`no viewer connected: ${connected.firstError}`);
  return connected;
}

/**
 * The fixed-rate phase: as many updates per second as offer
 * `deliveriesPerSecond` to the `viewers` connected, for `seconds`.
 */
export const fixedRate = (
  ctx: PhaseContext,
  deliveriesPerSecond: number,
  viewers: number,
  seconds: number,
) => openLoop(ctx, deliveriesPerSecond / viewers, seconds);

/** Updates the closed loop keeps on their way to `viewers` for about `deliveries` in flight. */
export const updatesInFlight = (deliveries: number, viewers: number) =>
  Math.min(50, Math.max(2, Math.ceil(deliveries / viewers)));

/**
 * One target, one topology, one level: memory per idle viewer, connect rate,
 * latency at a fixed rate, then the sustained rate.
 */
export async function runFanout(
  target: Target,
  topology: Topology,
  plan: FanoutPlan,
  ctx: BenchContext,
  nodeFlags?: string[],
): Promise<FanoutResult> {
  return withMatch(
    target,
    topology,
    ctx,
    async (deployment, publisher) => {
      const { servers } = deployment;
      const meter = new CpuMeter(benchProcesses(servers, ctx));
      const idleRss = await totalRss(servers);

      meter.start();
      const connected = await connectViewers(ctx.pool, deployment, plan.viewers, plan.concurrency);
      const connectCpu = meter.stop();
      const connectSeconds = (connected.finished - connected.started) / 1000;

      await sleep(plan.settleMs);
      const loadedRss = await totalRss(servers);

      const phase = { pool: ctx.pool, publisher, meter };
      const latency = await fixedRate(
        phase,
        plan.latencyDeliveriesPerSecond,
        connected.connected,
        plan.latencySeconds,
      );
      const throughput = await closedLoop(
        phase,
        updatesInFlight(plan.deliveriesInFlight, plan.viewers),
        plan.throughputSeconds,
      );

      return {
        target: target.id,
        topology,
        viewers: connected.connected,
        memory: {
          idleRss,
          loadedRss,
          perViewerBytes: (loadedRss - idleRss) / connected.connected,
        },
        connect: {
          perSecond: connected.connected / connectSeconds,
          seconds: connectSeconds,
          failed: connected.failed,
          loads: connectCpu.loads,
          cores: connectCpu.cores,
        },
        latency,
        throughput,
        foreignPercent: foreignPercent(connectCpu, latency, throughput),
        warnings: servers.flatMap((server) => server.warnings),
      };
    },
    nodeFlags,
  );
}

async function totalRss(servers: readonly ServerProcess[]): Promise<number> {
  const rss = await Promise.all(servers.map((server) => server.settledRss()));
  return rss.reduce((sum, bytes) => sum + bytes, 0);
}
