import { DEFAULT_LIMITS } from "../../contract/index.js";
import type { FloodIsolationResult } from "../scenarios/flood-isolation.js";
import type { PhaseResult } from "../scenarios/phase.js";
import { median } from "../stats/median.js";
import type { TargetId } from "../targets/target.js";
import { range } from "./aggregate.js";
import { decimal, ms, percentiles, spread, times, whole } from "./format.js";
import { LABELS } from "./labels.js";
import { markdownTable } from "./markdown-table.js";
import type { BenchResults } from "./results.js";

/** Delivery latency with no flood and under one, per server, with what the flood did. */
export function floodSection({ flood, failures, options }: BenchResults): string {
  const failed = failures
    .filter((failure) => failure.scenario === "flood")
    .map((failure) => `- ❌ a flood-isolation run failed: ${failure.error}`);
  if (flood.length === 0) return [...failed, "Not run."].join("\n\n");
  const { seconds, sockets, inFlight, warmUpMs } = options.flood;
  const rate = options.fanout.latencyDeliveriesPerSecond;
  const viewers = flood[0].viewers;
  const limits = DEFAULT_LIMITS;
  const byTarget = new Map<TargetId, FloodIsolationResult[]>();
  for (const run of flood) byTarget.set(run.target, [...(byTarget.get(run.target) ?? []), run]);
  const errors = new Set(flood.flatMap((run) => [...run.quiet.errors, ...run.flooded.errors]));
  return [
    `${whole(viewers)} viewers of one match on one instance alone; score updates at the fan-out's fixed rate ` +
      `(${whole(rate)} deliveries/s, ${decimal(rate / viewers)} updates/s) for ${seconds} s, first alone, then again ` +
      `while ${sockets} hostile sockets flood the same server. They run in one more process on core 1 under ` +
      "SCHED_IDLE: it floods with the load core's spare time, and any viewer or the publisher waking up " +
      'preempts it at once. Each hostile socket sends `42/scores,1["subscribe",{"ids":["x"]}]` as fast as the ' +
      `server answers (at most ${whole(inFlight)} unanswered) and connects again at once whenever the server ` +
      `disconnects it; the flood starts ${decimal(warmUpMs / 1000)} s before the second window and stops once ` +
      "that window's last update has reached every viewer. matchday allows a socket " +
      `${limits.socketEventsPerSecond} events/s in bursts of ${limits.socketEventBurst}, answers more with ` +
      `\`rate_limited\`, and disconnects a socket still over the limit after ${limits.socketRefusalGraceMs / 1000} s ` +
      `or ${limits.socketRefusalMax} refused events; the Socket.IO baseline has no limit at all (context: its ` +
      `hostile sockets flood on one connection each, all along). Medians of ${options.runs} ` +
      `run${options.runs === 1 ? "" : "s"}, the flooded p99 with its lowest and highest run; the last column ` +
      "counts every delivery of both windows of every run.",
    markdownTable(
      [
        "Server",
        "p50 / p99 / max ms, no flood",
        "p50 / p99 / max ms, flooded",
        "p99 flooded ÷ no flood",
        "Flood events/s sent; answered (refused)",
        "Hostile sessions; disconnected by the server (logged as flooding)",
        "Server CPU, no flood → flooded",
        "Lost / out of order / dropped viewers",
        "Other work",
      ],
      [...byTarget].map(([target, runs]) => {
        const of = (pick: (run: FloodIsolationResult) => number) => median(runs.map(pick));
        const total = (pick: (run: FloodIsolationResult) => number) =>
          runs.reduce((sum, run) => sum + pick(run), 0);
        const quantiles = (phase: (run: FloodIsolationResult) => PhaseResult) => ({
          p50: of((run) => phase(run).p50),
          p99: of((run) => phase(run).p99),
          max: of((run) => phase(run).max),
        });
        const quiet = quantiles((run) => run.quiet);
        const flooded = quantiles((run) => run.flooded);
        return [
          LABELS[target],
          percentiles(quiet),
          percentiles(flooded) + spread(range(runs.map((run) => run.flooded.p99)), ms),
          times(flooded.p99 / quiet.p99),
          `${whole(of((run) => run.flood.sent / run.flood.seconds))}; ` +
            `${whole(of((run) => run.flood.answered / run.flood.seconds))} ` +
            `(${whole(of((run) => (100 * run.flood.refused) / run.flood.answered))} %)`,
          `${whole(of((run) => run.flood.sessions))}; ${whole(of((run) => run.flood.disconnects))} ` +
            `(${whole(of((run) => run.loggedFloodDisconnects))})`,
          `${whole(of((run) => run.quiet.serverCpuPercent))} % → ` +
            `${whole(of((run) => run.flooded.serverCpuPercent))} %`,
          [
            total((run) => run.quiet.missing + run.flooded.missing),
            total((run) => run.quiet.disorder + run.flooded.disorder),
            total((run) => run.quiet.drops + run.flooded.drops),
          ]
            .map(whole)
            .join(" / "),
          `≤ ${whole(Math.max(...runs.map((run) => run.foreignPercent)))} %`,
        ];
      }),
    ),
    "Events/s are over the whole flood (warm-up and the flooded window); answered counts the acks the " +
      "hostile sockets read, refused the share of them that were `rate_limited`. Hostile sessions and " +
      "disconnects are per run: a session is a connection that got into `/scores`.",
    ...[...errors].map((error) => `- ❌ ${error}`),
    ...failed,
  ].join("\n\n");
}
