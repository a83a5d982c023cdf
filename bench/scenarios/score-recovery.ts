import { monotonicMs, sleep, until } from "../support/clock.js";
import { CpuMeter, foreignPercent, type ProcessLoad } from "../support/cpu-meter.js";
import { listenCounters } from "../support/proc-stats.js";
import { matchday } from "../targets/matchday.js";
import {
  benchProcesses,
  scoreViewers,
  splitViewers,
  withMatch,
  type BenchContext,
} from "./fanout.js";
import { HeldMonitor } from "./held-monitor.js";

export interface ScoreRecoveryPlan {
  viewers: number;
  concurrency: number;
  /** Updates per second, published on the surviving instance throughout. */
  rate: number;
  /** How long recovery may take before the run counts as failed. */
  timeoutMs: number;
}

export interface ScoreRecoveryResult {
  viewers: number;
  /** Viewers of the instance that was killed. */
  moved: number;
  /** From SIGKILL until every viewer was subscribed again, ms; NaN if not within the timeout. */
  resubscribedMs: number;
  /** From SIGKILL until every viewer held the latest published version, ms; NaN likewise. */
  latestMs: number;
  /** Connections the kernel dropped meanwhile because a listen queue was full (machine-wide). */
  listenOverflows: number;
  /** SYNs retransmitted meanwhile (machine-wide): clients waiting 1 s, 3 s, 7 s... to get in. */
  synRetransmits: number;
  /** Every measured process from the kill to recovery, busiest first. */
  loads: ProcessLoad[];
  /** The most of a core other work took meanwhile, percent. */
  foreignPercent: number;
  /** Versions that came twice or out of order. */
  disorder: number;
  /** Viewers whose connection dropped (should be the moved ones alone). */
  drops: number;
  errors: string[];
  warnings: string[];
}

/** Viewers are on their own for a moment before the kill, to be in a steady state. */
const STEADY_MS = 1000;

/**
 * Two matchday instances on Redis, viewers split between them, publishing on
 * the first. The second is SIGKILLed; its viewers reconnect to the first with
 * the client's backoff and subscribe with the versions they hold, while
 * publishing goes on. Measures until all of them hold the latest version.
 */
export async function runScoreRecovery(
  plan: ScoreRecoveryPlan,
  { pool, redis }: BenchContext,
): Promise<ScoreRecoveryResult> {
  return withMatch(matchday, "pair", { pool, redis }, async (deployment, publisher) => {
    const survivor = deployment.servers[0];
    const victim = deployment.servers[1];
    const errors: string[] = [];
    let monitor: HeldMonitor | undefined;
    let ticker: NodeJS.Timeout | undefined;
    try {
      const groups = splitViewers(deployment.servers, plan.viewers, {
        ...scoreViewers(deployment),
        failoverPort: survivor.port,
      });
      const connected = await pool.connect(groups, plan.concurrency);
      if (connected.failed > 0) errors.push(`${connected.failed} viewers failed to connect`);
      await pool.anomalies();
      monitor = await HeldMonitor.start(pool);

      const sent: Array<[version: number, at: number]> = [];
      ticker = setInterval(() => {
        const { version, sentAt, acked } = publisher.publish();
        sent.push([version, sentAt]);
        acked.catch((err: Error) => errors.push(err.message));
      }, 1000 / plan.rate);
      /** The newest version asked for at `at`. */
      const latestAt = (at: number) =>
        sent.reduce((latest, [version, sentAt]) => (sentAt <= at ? version : latest), 0);
      await sleep(STEADY_MS);

      const meter = new CpuMeter(benchProcesses([survivor], { pool, redis }));
      const counters = listenCounters();
      const lost = monitor.when((m) => m.down > 0, 10_000, "the killed instance's viewers noticed");
      meter.start();
      const killedAt = monotonicMs();
      await victim.kill();
      await lost;
      const recovered = monitor;
      const timely = (condition: (m: HeldMonitor) => boolean, what: string) =>
        recovered.when(condition, plan.timeoutMs, what).catch((err: Error) => {
          errors.push(`${err.message} (${recovered.down} viewers still down)`);
          return Number.NaN;
        });
      const [resubscribedAt, latestHeldAt] = await Promise.all([
        timely((m) => m.down === 0, "every viewer subscribed again"),
        timely(
          (m) => m.down === 0 && m.min >= latestAt(m.at),
          "every viewer held the latest version",
        ),
      ]);
      const cpu = meter.stop();
      const { overflows, synRetransmits } = listenCounters();
      clearInterval(ticker);
      await until(() => publisher.unanswered === 0, 10_000, "the last publishes answered");
      const anomalies = await pool.anomalies();
      return {
        viewers: connected.connected,
        moved: groups[1].count,
        resubscribedMs: resubscribedAt - killedAt,
        latestMs: latestHeldAt - killedAt,
        listenOverflows: overflows - counters.overflows,
        synRetransmits: synRetransmits - counters.synRetransmits,
        loads: cpu.loads,
        foreignPercent: foreignPercent(cpu),
        disorder: anomalies.disorder,
        drops: anomalies.drops,
        errors: [...new Set(errors)],
        warnings: deployment.servers.flatMap((server) => server.warnings),
      };
    } finally {
      clearInterval(ticker);
      monitor?.stop();
    }
  });
}
