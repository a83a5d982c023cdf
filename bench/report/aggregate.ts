import type { FanoutResult } from "../scenarios/fanout.js";
import type { ScoreRecoveryResult } from "../scenarios/score-recovery.js";
import { median } from "../stats/median.js";
import { LOAD_CORE, type TargetId, type Topology } from "../targets/target.js";
import { decimal, KIB, ms, times, whole } from "./format.js";

/** The median of every fan-out measurement of one target, topology and level. */
export interface FanoutRow {
  target: TargetId;
  topology: Topology;
  viewers: number;
  runs: number;
  memoryKiB: number;
  connectsPerSecond: number;
  /** At the fixed rate: latency (ms) and server CPU per delivery (µs). */
  latency: { p50: number; p99: number; max: number; cpuUs: number };
  /** The closed-loop phase: the rate the server sustains. */
  sustained: {
    deliveriesPerSecond: number;
    cpuUs: number;
    p99: number;
    serverPercent: number;
    /** No loss and p99 within 1 s in every run. */
    held: boolean;
    /** The lowest and highest of the runs, for the spread behind the medians. */
    rateRange: [number, number];
    cpuRange: [number, number];
  };
  /** The busiest process during the sustained phase of the median run, with its share of a core. */
  busiest: string;
  /** Everything on the load core (workers, runner, Redis) during that phase, percent of the core. */
  loadCorePercent: number;
  /** The most of a core other work took during any kept run, percent. */
  foreignPercent: number;
  /** Lost deliveries, disorder, drops, failed connects, errors, server warnings; empty when clean. */
  problems: string[];
}

/** The limit p99 must stay under for a rate to count as sustained. */
export const SUSTAINED_P99_MS = 1000;

export function fanoutRows(results: readonly FanoutResult[]): FanoutRow[] {
  const groups = new Map<string, FanoutResult[]>();
  for (const result of results) {
    const key = `${result.target}|${result.topology}|${result.viewers}`;
    groups.set(key, [...(groups.get(key) ?? []), result]);
  }
  return [...groups.values()].map(row);
}

function row(runs: FanoutResult[]): FanoutRow {
  const of = (pick: (run: FanoutResult) => number) => median(runs.map(pick));
  const byRate = [...runs].sort(
    (a, b) => a.throughput.deliveriesPerSecond - b.throughput.deliveriesPerSecond,
  );
  const middle = byRate[Math.floor(byRate.length / 2)];
  const top = middle.throughput.loads[0];
  const { target, topology, viewers } = runs[0];
  return {
    target,
    topology,
    viewers,
    runs: runs.length,
    memoryKiB: of((run) => run.memory.perViewerBytes) / KIB,
    connectsPerSecond: of((run) => run.connect.perSecond),
    latency: {
      p50: of((run) => run.latency.p50),
      p99: of((run) => run.latency.p99),
      max: of((run) => run.latency.max),
      cpuUs: of((run) => run.latency.cpuUsPerDelivery),
    },
    sustained: {
      deliveriesPerSecond: of((run) => run.throughput.deliveriesPerSecond),
      cpuUs: of((run) => run.throughput.cpuUsPerDelivery),
      p99: of((run) => run.throughput.p99),
      serverPercent: of((run) => run.throughput.serverCpuPercent),
      held: runs.every(
        (run) => run.throughput.missing === 0 && run.throughput.p99 <= SUSTAINED_P99_MS,
      ),
      rateRange: range(runs.map((run) => run.throughput.deliveriesPerSecond)),
      cpuRange: range(runs.map((run) => run.throughput.cpuUsPerDelivery)),
    },
    busiest: `${top.name} ${whole(top.percent)}%`,
    loadCorePercent: middle.throughput.loads
      .filter((load) => load.core === LOAD_CORE)
      .reduce((sum, load) => sum + load.percent, 0),
    foreignPercent: Math.max(...runs.map((run) => run.foreignPercent)),
    problems: problems(runs),
  };
}

/** The lowest and highest of `values`. */
export function range(values: readonly number[]): [number, number] {
  return [Math.min(...values), Math.max(...values)];
}

function problems(runs: readonly FanoutResult[]): string[] {
  const total = (pick: (run: FanoutResult) => number) =>
    runs.reduce((sum, run) => sum + pick(run), 0);
  const phases = (run: FanoutResult) => [run.latency, run.throughput];
  const counts: Array<[number, string]> = [
    [total((run) => run.connect.failed), "failed connects"],
    [total((run) => phases(run).reduce((sum, phase) => sum + phase.missing, 0)), "lost deliveries"],
    [total((run) => phases(run).reduce((sum, phase) => sum + phase.disorder, 0)), "out of order"],
    [total((run) => phases(run).reduce((sum, phase) => sum + phase.drops, 0)), "dropped viewers"],
    [total((run) => run.warnings.length), "server warnings"],
  ];
  const errors = new Set(runs.flatMap((run) => phases(run).flatMap((phase) => phase.errors)));
  return [
    ...counts.filter(([count]) => count > 0).map(([count, what]) => `${whole(count)} ${what}`),
    ...errors,
  ];
}

/** matchday's numbers over a baseline's, at one topology and level. */
export interface Ratios {
  topology: Topology;
  viewers: number;
  baseline: TargetId;
  sustainedRate: number;
  sustainedCpu: number;
  p99: number;
  memory: number;
  connects: number;
}

export function ratios(rows: readonly FanoutRow[]): Ratios[] {
  return rows
    .filter((row) => row.target === "matchday")
    .flatMap((ours) =>
      rows
        .filter(
          (other) =>
            other.target !== "matchday" &&
            other.topology === ours.topology &&
            other.viewers === ours.viewers,
        )
        .map((other) => ({
          topology: ours.topology,
          viewers: ours.viewers,
          baseline: other.target,
          sustainedRate: ours.sustained.deliveriesPerSecond / other.sustained.deliveriesPerSecond,
          sustainedCpu: ours.sustained.cpuUs / other.sustained.cpuUs,
          p99: ours.latency.p99 / other.latency.p99,
          memory: ours.memoryKiB / other.memoryKiB,
          connects: ours.connectsPerSecond / other.connectsPerSecond,
        })),
    );
}

/** One headline target, as set in the issue, and what this run measured. */
export interface Check {
  goal: string;
  measured: string;
  met: boolean;
}

/** The level the headline targets are judged at (the issue sets them at 10,000 viewers). */
const HEADLINE_VIEWERS = 10_000;

export function checks(
  rows: readonly FanoutRow[],
  recovery: readonly ScoreRecoveryResult[],
): Check[] {
  const level = Math.max(...rows.map((row) => row.viewers));
  const at = level === HEADLINE_VIEWERS ? "" : ` (judged at ${whole(level)}: no 10,000 level ran)`;
  const find = (target: TargetId) =>
    rows.find((row) => row.target === target && row.topology === "single" && row.viewers === level);
  const ours = find("matchday");
  const socketIo = find("socketio");
  const ws = find("ws");
  const list: Check[] = [];
  if (ours && socketIo) {
    const cpu = ours.sustained.cpuUs / socketIo.sustained.cpuUs;
    list.push({
      goal: `Server CPU per delivery at 10k viewers ≤ 0.85× default Socket.IO${at}`,
      measured: `${times(cpu)} (${decimal(ours.sustained.cpuUs)} vs ${decimal(socketIo.sustained.cpuUs)} µs)`,
      met: cpu <= 0.85,
    });
    const rate = ours.sustained.deliveriesPerSecond / socketIo.sustained.deliveriesPerSecond;
    list.push({
      goal: `Highest sustained deliveries/s on one core at 10k ≥ 1.2× default Socket.IO${at}`,
      measured: `${times(rate)} (${whole(ours.sustained.deliveriesPerSecond)} vs ${whole(socketIo.sustained.deliveriesPerSecond)}/s)`,
      met: rate >= 1.2 && ours.sustained.held,
    });
  }
  if (ours) {
    list.push({
      goal: `Memory per idle viewer ≤ 8 KiB${at}`,
      measured: `${decimal(ours.memoryKiB)} KiB`,
      met: ours.memoryKiB <= 8,
    });
  }
  if (ours && ws) {
    const p99 = ours.latency.p99 / ws.latency.p99;
    list.push({
      goal: `p99 of one update to 10k viewers at ~20k deliveries/s ≤ 1.1× bare ws${at}`,
      measured: `${times(p99)} (${ms(ours.latency.p99)} vs ${ms(ws.latency.p99)} ms)`,
      met: p99 <= 1.1,
    });
  }
  if (recovery.length > 0) {
    // A run that never recovered counts as the slowest, not as missing.
    const times = recovery.map((run) => (Number.isFinite(run.latestMs) ? run.latestMs : 1e12));
    const middle = median(times);
    const failed = recovery.length - recovery.filter((run) => Number.isFinite(run.latestMs)).length;
    const worst =
      failed > 0
        ? `${failed} of ${recovery.length} runs not recovered at all`
        : `${decimal(Math.max(...times) / 1000)} s worst of ${recovery.length} runs`;
    list.push({
      goal: `Failover: after one of two instances is killed, all ${whole(recovery[0].viewers)} viewers hold the latest within 10 s`,
      measured: `${middle < 1e12 ? `${decimal(middle / 1000)} s` : "never"} median, ${worst}`,
      met: middle <= 10_000,
    });
  }
  return list;
}
