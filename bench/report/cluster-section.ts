import type { PhaseResult } from "../scenarios/phase.js";
import type { RedisClusterResult } from "../scenarios/redis-cluster.js";
import { median } from "../stats/median.js";
import { LOAD_CORE } from "../targets/target.js";
import { decimal, ms, times, whole } from "./format.js";
import { markdownTable } from "./markdown-table.js";

/** The sustained-phase figures compared between the setups. */
interface Sustained {
  deliveriesPerSecond: number;
  serverUs: number;
  redisUs: number;
  /** The same less the idle cost spread over the phase's deliveries: Redis's work for the updates. */
  redisWorkUs: number;
  p99: number;
  /** What the measured processes on the load core (load, runner, Redis) took of it, percent. */
  loadCore: number;
  /** Redis CPU with no server connected, percent of a core. */
  idleRedis: number;
}

type Setup = "oneRedis" | "cluster";

const sustained = (phase: PhaseResult, idleRedis: number): Sustained => ({
  deliveriesPerSecond: phase.deliveriesPerSecond,
  serverUs: phase.cpuUsPerDelivery,
  redisUs: phase.redisUsPerDelivery,
  // A percent of a core is 10,000 µs each second.
  redisWorkUs: phase.redisUsPerDelivery - (idleRedis * 10_000) / phase.deliveriesPerSecond,
  p99: phase.p99,
  loadCore: phase.loads
    .filter((load) => load.core === LOAD_CORE)
    .reduce((sum, load) => sum + load.percent, 0),
  idleRedis,
});

/** Each figure's median over the runs, per setup (one run: its own figures). */
function medians(results: readonly RedisClusterResult[], setup: Setup): Sustained {
  const of = (key: keyof Sustained) =>
    median(
      results.map(
        (result) => sustained(result[setup].throughput, result.idleRedisPercent[setup])[key],
      ),
    );
  return {
    deliveriesPerSecond: of("deliveriesPerSecond"),
    serverUs: of("serverUs"),
    redisUs: of("redisUs"),
    redisWorkUs: of("redisWorkUs"),
    p99: of("p99"),
    loadCore: of("loadCore"),
    idleRedis: of("idleRedis"),
  };
}

/** The most of a core other work took in any run of a setup, percent. */
const foreign = (results: readonly RedisClusterResult[], setup: Setup) =>
  Math.max(...results.map((result) => result[setup].foreignPercent));

/**
 * One line: the rate and CPU per delivery on one Redis, on the cluster, and
 * cluster over one Redis. Of one run as it ends, or of the medians at the end.
 */
export function clusterLine(results: readonly RedisClusterResult[]): string {
  const one = medians(results, "oneRedis");
  const cluster = medians(results, "cluster");
  const figures = (s: Sustained) =>
    `${whole(s.deliveriesPerSecond)}/s, server ${decimal(s.serverUs, 2)} µs + Redis ` +
    `${decimal(s.redisUs, 2)} µs per delivery (${decimal(s.redisWorkUs, 2)} above idle)`;
  const ratio = (key: keyof Sustained) => times(cluster[key] / one[key]);
  return (
    `cluster: ${whole(results[0].cluster.viewers)} viewers on two instances: one Redis ${figures(one)}; ` +
    `${results[0].nodes}-node Redis Cluster ${figures(cluster)}; cluster/one Redis: rate ` +
    `${ratio("deliveriesPerSecond")}, server CPU ${ratio("serverUs")}, Redis CPU ${ratio("redisUs")} ` +
    `(${ratio("redisWorkUs")} above idle)`
  );
}

/** Medians of each setup's sustained phase, and the cluster's over one Redis's. */
export function clusterSection(results: readonly RedisClusterResult[]): string {
  const one = medians(results, "oneRedis");
  const cluster = medians(results, "cluster");
  const row = (label: string, setup: Setup) => {
    const s = setup === "cluster" ? cluster : one;
    return [
      label,
      whole(s.deliveriesPerSecond),
      decimal(s.serverUs, 2),
      decimal(s.redisUs, 2),
      decimal(s.idleRedis),
      decimal(s.redisWorkUs, 2),
      ms(s.p99),
      `${whole(s.loadCore)}%; ≤ ${whole(foreign(results, setup))}%`,
    ];
  };
  const { nodes } = results[0];
  return [
    `Two matchday instances, ${whole(results[0].cluster.viewers)} viewers of one match split between ` +
      "them, publishing on the first: the fan-out's sustained phase, first on the bench's one Redis " +
      `(Redis adapter), then on a Redis Cluster of ${nodes} nodes (${nodes / 2} primaries, each with a ` +
      "replica; sharded channels, no adapter), all pinned to core 1 like the one Redis. Redis CPU is " +
      "every redis-server process's CPU time over the phase, replicas included, divided by deliveries; " +
      "it includes what Redis spends with nothing to do (cron, a cluster's bus pings), given beside it " +
      "as measured over 2 s before any server connected (at this update rate a large share), and " +
      "subtracted (idle CPU per second over deliveries per second) in the next column. " +
      "One match: its keys and channel live in one slot, so one primary and its replica do the work " +
      "while the other nodes idle, as a single match's load would in production. " +
      `Medians of ${results.length} run${results.length === 1 ? "" : "s"}; the last row is cluster over one ` +
      "Redis, of the medians. Undisturbed, the load core is near 100 % in the sustained phase, so the " +
      "rate is bounded by it (and Redis, on the same core, takes its share from the load generator): " +
      "the CPU per delivery is the figure to compare; read the rate with the other-work column.",
    markdownTable(
      [
        "Setup",
        "Sustained deliveries/s",
        "Server CPU µs/delivery",
        "Redis CPU µs/delivery",
        "Redis idle, % of a core",
        "Redis CPU µs/delivery above idle",
        "p99 ms",
        "Load core; other work",
      ],
      [
        row("Two on one Redis", "oneRedis"),
        row(`Two on a ${nodes}-node Redis Cluster`, "cluster"),
        [
          "Cluster / one Redis",
          times(cluster.deliveriesPerSecond / one.deliveriesPerSecond),
          times(cluster.serverUs / one.serverUs),
          times(cluster.redisUs / one.redisUs),
          times(cluster.idleRedis / one.idleRedis),
          times(cluster.redisWorkUs / one.redisWorkUs),
          times(cluster.p99 / one.p99),
          "",
        ],
      ],
    ),
    ...problems(results),
  ].join("\n\n");
}

/** Lost deliveries, errors and server warnings of either setup; nothing when clean. */
function problems(results: readonly RedisClusterResult[]): string[] {
  const runs = results.flatMap((result) => [result.oneRedis, result.cluster]);
  const lost = runs.reduce((sum, run) => sum + run.latency.missing + run.throughput.missing, 0);
  const warnings = runs.reduce((sum, run) => sum + run.warnings.length, 0);
  const errors = new Set(runs.flatMap((run) => [...run.latency.errors, ...run.throughput.errors]));
  const lines = [
    ...(lost > 0 ? [`⚠ ${whole(lost)} deliveries lost`] : []),
    ...(warnings > 0 ? [`⚠ ${whole(warnings)} server warnings (raw results hold them)`] : []),
    ...errors,
  ];
  return lines.length > 0 ? [lines.map((line) => `- ${line}`).join("\n")] : [];
}
