import { parseArgs } from "node:util";
import type { AllSubscribersPlan } from "./scenarios/all-subscribers.js";
import type { FanoutPlan } from "./scenarios/fanout.js";
import type { FloodPlan } from "./scenarios/flood-isolation.js";
import type { PublisherRatePlan } from "./scenarios/publisher-rate.js";
import { TARGET_IDS, type TargetId } from "./targets/target.js";

/** The scenarios a run can be narrowed to with `--only`, in the order a run goes through them. */
export const SCENARIO_IDS = [
  "fanout",
  "flood",
  "recovery",
  "chat",
  "publisher",
  "all-subscribers",
  "cluster",
  "profile",
] as const;

export type ScenarioId = (typeof SCENARIO_IDS)[number];

/** Everything a bench run is sized by. */
export interface BenchOptions {
  quick: boolean;
  /** Repetitions of every measurement; results are medians. */
  runs: number;
  /** Viewer counts of the fan-out levels. */
  levels: number[];
  /** The servers compared. */
  targets: TargetId[];
  /** The scenarios run: all of them unless `--only` (or `--no-profile`) narrows them. */
  scenarios: ScenarioId[];
  /** Load-generator processes. */
  workers: number;
  fanout: Omit<FanoutPlan, "viewers">;
  /** Viewers of the pair on one Redis and on a Redis Cluster; the rest of its plan is the fan-out's. */
  cluster: { viewers: number };
  /** Viewers of the failover scenario. */
  recoveryViewers: number;
  /** Updates per second published through the failover. */
  recoveryRate: number;
  chat: { members: number; senders: number; messages: number };
  /** One publisher socket over several matches at once. */
  publisher: PublisherRatePlan;
  /** Viewers of one match, then with sockets following every match; in flight and settling as the fan-out's. */
  allSubscribers: Omit<AllSubscribersPlan, "concurrency" | "deliveriesInFlight" | "settleMs">;
  /** The flood-isolation level and flood; its rate, connects and settling are the fan-out's. */
  flood: Omit<FloodPlan, "concurrency" | "deliveriesPerSecond" | "settleMs">;
  /** How long a failover or a catch-up may take before the run counts as failed. */
  recoveryTimeoutMs: number;
  /**
   * Other work above `percent` of a core disturbs a run. A run waits up to
   * `quietWaitMs` for quiet and is repeated once if disturbed anyway, with at
   * most `patienceMs` spent so per bench (the default levels stay within 15 minutes).
   */
  disturbance: { percent: number; quietWaitMs: number; patienceMs: number };
  /** The Node binary to run on (servers and load alike); absent: the one running now. */
  node?: string;
}

const USAGE = `usage: npm run bench -- [--quick] [--runs N] [--levels 1000,5000,10000] [--targets ...] [--only ...] [--no-profile]

  --quick       smaller levels, one run: a smoke check in about two minutes
  --runs N      repetitions of every measurement (default 3; medians are reported)
  --levels L    viewer counts of the fan-out levels, comma-separated
  --targets T   servers to compare, of ws,socketio,matchday (default: all three)
  --only S      scenarios to run, of ${SCENARIO_IDS.join(",")} (default: all);
                prints their figures and writes raw results, but leaves docs/benchmarks.md
                (a full run's report) as it is
  --no-profile  skip the CPU profiles of the top level
  --node PATH   run on this Node binary (e.g. Node 24's bin/node) instead of the current one`;

/** Reads the command line; `--quick` changes the defaults, explicit flags override them. */
export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: "boolean", default: false },
      runs: { type: "string" },
      levels: { type: "string" },
      targets: { type: "string" },
      only: { type: "string" },
      "no-profile": { type: "boolean", default: false },
      node: { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const quick = values.quick;
  const levels = values.levels
    ? values.levels.split(",").map((level) => positive(level, "--levels"))
    : quick
      ? [500, 2000]
      : [1000, 5000, 10000];
  return {
    quick,
    runs: values.runs ? positive(values.runs, "--runs") : quick ? 1 : 3,
    levels,
    targets: values.targets ? values.targets.split(",").map(targetId) : [...TARGET_IDS],
    scenarios: (values.only ? values.only.split(",").map(scenarioId) : [...SCENARIO_IDS]).filter(
      (scenario) => scenario !== "profile" || !values["no-profile"],
    ),
    workers: Math.max(1, Math.ceil(Math.max(...levels) / 10_000)),
    fanout: {
      concurrency: 200,
      latencyDeliveriesPerSecond: 20_000,
      latencySeconds: quick ? 2 : 3,
      throughputSeconds: quick ? 2 : 3,
      deliveriesInFlight: 40_000,
      settleMs: 1000,
    },
    // Modest: two fan-outs plus a cluster start per run, about 30 s together.
    cluster: { viewers: 2000 },
    recoveryViewers: quick ? 2000 : 10_000,
    recoveryRate: 2,
    chat: quick
      ? { members: 200, senders: 20, messages: 200 }
      : { members: 1000, senders: 100, messages: 1000 },
    flood: {
      viewers: quick ? 2000 : 5000,
      seconds: quick ? 2 : 5,
      // Each hostile socket spends much of its time reconnecting: one keeps matchday's core
      // two-thirds busy, 32 keep it saturated (measured on the 2-core machine).
      sockets: 32,
      inFlight: 1000,
      warmUpMs: 1000,
    },
    publisher: { matches: 10, seconds: quick ? 2 : 3 },
    allSubscribers: quick
      ? { viewers: 2000, allSubscribers: 200, seconds: 2 }
      : { viewers: 10_000, allSubscribers: 1000, seconds: 3 },
    recoveryTimeoutMs: 30_000,
    disturbance: { percent: 15, quietWaitMs: 10_000, patienceMs: 60_000 },
    ...(values.node ? { node: values.node } : {}),
  };
}

function positive(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    console.error(`${flag}: ${JSON.stringify(text)} is not a positive whole number\n\n${USAGE}`);
    process.exit(2);
  }
  return value;
}

function targetId(text: string): TargetId {
  return oneOf(TARGET_IDS, text, "--targets");
}

function scenarioId(text: string): ScenarioId {
  return oneOf(SCENARIO_IDS, text, "--only");
}

function oneOf<T extends string>(ids: readonly T[], text: string, flag: string): T {
  const id = ids.find((candidate) => candidate === text);
  if (!id) {
    console.error(`${flag}: ${JSON.stringify(text)} is none of ${ids.join(", ")}\n\n${USAGE}`);
    process.exit(2);
  }
  return id;
}
