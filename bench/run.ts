import { mkdirSync, writeFileSync } from "node:fs";
import { LoadPool } from "./load/load-pool.js";
import { parseOptions, SCENARIO_IDS, type BenchOptions, type ScenarioId } from "./options.js";
import { fanoutRows } from "./report/aggregate.js";
import { chartSvg } from "./report/chart.js";
import { clusterLine } from "./report/cluster-section.js";
import { describeMachine } from "./report/machine.js";
import { renderReport, renderSummary } from "./report/markdown.js";
import { whole } from "./report/format.js";
import { topologyLabel } from "./report/labels.js";
import {
  allSubscribersLine,
  chatLine,
  fanoutLine,
  floodLine,
  publisherLine,
  recoveryLine,
} from "./report/progress.js";
import { writeMarkdown } from "./report/write-markdown.js";
import type { BenchResults, Failure } from "./report/results.js";
import { runAllSubscribers } from "./scenarios/all-subscribers.js";
import { runChatCatchUp } from "./scenarios/chat-catch-up.js";
import { runFanout, type BenchContext } from "./scenarios/fanout.js";
import { runFloodIsolation } from "./scenarios/flood-isolation.js";
import { runProfile } from "./scenarios/profile.js";
import { runPublisherRate } from "./scenarios/publisher-rate.js";
import { runRedisCluster } from "./scenarios/redis-cluster.js";
import { runScoreRecovery } from "./scenarios/score-recovery.js";
import { BenchRedis } from "./support/bench-redis.js";
import { buildFingerprint, sourceRevision } from "./support/build-fingerprint.js";
import { cleanUp, installSignalHandlers } from "./support/cleanup.js";
import { monotonicMs } from "./support/clock.js";
import { DisturbanceGuard } from "./support/disturbance-guard.js";
import { CHART_PATH, REPORT_PATH, SCRATCH_DIR } from "./support/paths.js";
import { rerunOn } from "./support/chosen-node.js";
import { pin } from "./support/pinned-node.js";
import { socketIoBaseline, wsBaseline } from "./targets/baselines.js";
import { matchday } from "./targets/matchday.js";
import { LOAD_CORE, TARGET_NAMES, type Target, type Topology } from "./targets/target.js";

/**
 * `npm run bench`: every server under test side by side on this machine,
 * repeated, then the report written to docs/benchmarks.md with its chart.
 */
async function main(options: BenchOptions): Promise<void> {
  const started = monotonicMs();
  const build = buildFingerprint();
  const results: BenchResults = {
    machine: describeMachine(),
    server: { ...sourceRevision(), rebuiltDuringRun: false },
    options,
    startedAt: new Date().toISOString(),
    minutes: 0,
    fanout: [],
    flood: [],
    recovery: [],
    chat: [],
    publisher: [],
    allSubscribers: [],
    cluster: [],
    profiles: [],
    failures: [],
    disturbed: [],
  };
  const attempt = async <T>(scenario: Failure["scenario"], run: () => Promise<T>) => {
    try {
      return await run();
    } catch (err) {
      const error = (err as Error).message;
      results.failures.push({ scenario, error });
      console.log(`  ❌ ${scenario} failed: ${error}`);
      return undefined;
    }
  };
  const { percent, quietWaitMs, patienceMs } = options.disturbance;
  const guard = new DisturbanceGuard(percent, quietWaitMs, patienceMs);
  /**
   * One measurement, kept away from other work on the machine as far as the
   * guard can; the run kept goes into `into`.
   */
  const measure = async <T extends { foreignPercent: number }>(
    into: T[],
    scenario: Failure["scenario"],
    what: string,
    run: () => Promise<T>,
    describe: (result: T) => string,
  ) => {
    const { kept, discarded } = await guard.measure(
      () => attempt(scenario, run),
      (result) => console.log(`  ${elapsed().padStart(4)} min  ${describe(result)}`),
    );
    if (discarded) results.disturbed.push({ what, foreignPercent: discarded.foreignPercent });
    if (kept) into.push(kept);
  };
  const elapsed = () => ((monotonicMs() - started) / 60_000).toFixed(1);
  const ran = (scenario: ScenarioId) => options.scenarios.includes(scenario);
  /** Whether this run rewrites the report: not when --only left a scenario out (profiles aside). */
  const complete = SCENARIO_IDS.every((scenario) => scenario === "profile" || ran(scenario));

  pin(process.pid, LOAD_CORE);
  const redis = await BenchRedis.start(LOAD_CORE);
  const pool = LoadPool.start(options.workers, LOAD_CORE);
  const ctx: BenchContext = { pool, redis };
  const targets = [wsBaseline, socketIoBaseline, matchday].filter((target) =>
    options.targets.includes(target.id),
  );
  /** The servers that speak Socket.IO: bare ws has no protocol to flood or profile. */
  const socketIoTargets = targets.filter((target) => target.id !== "ws");
  const top = Math.max(...options.levels);
  const plan = (viewers: number) => ({ ...options.fanout, viewers });
  const recoveryPlan = {
    viewers: options.recoveryViewers,
    concurrency: options.fanout.concurrency,
    rate: options.recoveryRate,
    timeoutMs: options.recoveryTimeoutMs,
  };
  const floodPlan = {
    ...options.flood,
    concurrency: options.fanout.concurrency,
    deliveriesPerSecond: options.fanout.latencyDeliveriesPerSecond,
    settleMs: options.fanout.settleMs,
  };
  const allSubscribersPlan = {
    ...options.allSubscribers,
    concurrency: options.fanout.concurrency,
    deliveriesInFlight: options.fanout.deliveriesInFlight,
    settleMs: options.fanout.settleMs,
  };
  const chatPlan = {
    ...options.chat,
    concurrency: options.fanout.concurrency,
    timeoutMs: options.recoveryTimeoutMs,
  };
  console.log(
    `matchday bench on Node ${process.version}: ${options.runs} run(s) of ` +
      (complete ? `${options.levels.join(", ")} viewers` : options.scenarios.join(", ")) +
      `; servers on core 0, load on core ${LOAD_CORE}\n`,
  );
  try {
    for (let run = 1; run <= options.runs; run++) {
      console.log(`run ${run} of ${options.runs}`);
      for (const viewers of ran("fanout") ? options.levels : []) {
        for (const [target, topology] of configurations(targets, viewers === top)) {
          await measure(
            results.fanout,
            "fanout",
            `${TARGET_NAMES[target.id]}, ${topologyLabel(topology)}, ${whole(viewers)} viewers`,
            () => runFanout(target, topology, plan(viewers), ctx),
            fanoutLine,
          );
        }
      }
      for (const target of ran("flood") ? socketIoTargets : []) {
        await measure(
          results.flood,
          "flood",
          `${TARGET_NAMES[target.id]}, flood isolation`,
          () => runFloodIsolation(target, floodPlan, ctx),
          floodLine,
        );
      }
      if (!options.targets.includes("matchday")) continue;
      if (ran("recovery")) {
        await measure(
          results.recovery,
          "recovery",
          "failover",
          () => runScoreRecovery(recoveryPlan, ctx),
          recoveryLine,
        );
      }
      if (ran("chat")) {
        await measure(
          results.chat,
          "chat",
          "chat catch-up",
          () => runChatCatchUp(chatPlan, ctx),
          chatLine,
        );
      }
      for (const topology of ran("publisher") ? matchday.topologies : []) {
        await measure(
          results.publisher,
          "publisher",
          `publisher rate, ${topologyLabel(topology)}`,
          () => runPublisherRate(topology, options.publisher, ctx),
          publisherLine,
        );
      }
      if (ran("all-subscribers")) {
        await measure(
          results.allSubscribers,
          "all-subscribers",
          "all-subscribers beside viewers of one match",
          () => runAllSubscribers(allSubscribersPlan, ctx),
          allSubscribersLine,
        );
      }
      if (ran("cluster")) {
        await measure(
          results.cluster,
          "cluster",
          "two instances on a Redis Cluster and on one Redis",
          () => runRedisCluster(plan(options.cluster.viewers), ctx),
          (result) => clusterLine([result]),
        );
      }
    }
    if (ran("profile")) {
      console.log("profiles");
      for (const target of socketIoTargets) {
        const profile = await attempt("profile", () => runProfile(target, plan(top), ctx));
        if (profile) {
          results.profiles.push(profile);
          console.log(`  ${TARGET_NAMES[target.id]}: ${profile.path}`);
        }
      }
    }
  } finally {
    await pool.close();
    await cleanUp();
  }

  results.minutes = (monotonicMs() - started) / 60_000;
  results.server.rebuiltDuringRun = buildFingerprint() !== build;
  if (results.server.rebuiltDuringRun) {
    console.log(
      "⚠ dist/server was rebuilt during the bench: the runs measured more than one version",
    );
  }
  mkdirSync(SCRATCH_DIR, { recursive: true });
  writeFileSync(`${SCRATCH_DIR}results.json`, JSON.stringify(results, null, 2));
  const rows = fanoutRows(results.fanout);
  const summary = renderSummary(results, rows);
  console.log(`\n${summary}\n`);
  if (results.cluster.length > 0) console.log(`${clusterLine(results.cluster)}\n`);
  if (!complete) {
    // A partial run would replace the full report with a page of a few scenarios.
    console.log(
      `${results.minutes.toFixed(1)} min. Left ${REPORT_PATH} as it was (--only); ` +
        `raw results: ${SCRATCH_DIR}results.json`,
    );
    return;
  }
  await writeMarkdown(REPORT_PATH, renderReport(results, rows, summary));
  writeFileSync(
    CHART_PATH,
    chartSvg(
      rows,
      `One instance alone, medians of ${options.runs} run(s), ${results.startedAt.slice(0, 10)}. ` +
        "Where the load core was saturated (see docs/benchmarks.md), bare ws's sustained rate is a lower bound.",
    ),
  );
  console.log(`Wrote ${REPORT_PATH} and ${CHART_PATH} (raw results: ${SCRATCH_DIR}results.json)`);
}

/** Every target alone at every level; the ones that cluster also as two instances at the top level. */
function configurations(targets: readonly Target[], topLevel: boolean): Array<[Target, Topology]> {
  return targets.flatMap((target) =>
    target.topologies
      .filter((topology) => topology === "single" || topLevel)
      .map((topology): [Target, Topology] => [target, topology]),
  );
}

const options = parseOptions(process.argv.slice(2));
rerunOn(options.node);
installSignalHandlers();
main(options).catch(async (err) => {
  console.error(err);
  await cleanUp();
  process.exit(1);
});
