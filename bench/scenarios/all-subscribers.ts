import { sleep } from "../support/clock.js";
import { CpuMeter, foreignPercent } from "../support/cpu-meter.js";
import { matchday } from "../targets/matchday.js";
import type { Deployment } from "../targets/target.js";
import {
  benchProcesses,
  connectViewers,
  MATCH_ID,
  splitViewers,
  updatesInFlight,
  withMatch,
  type BenchContext,
} from "./fanout.js";
import { closedLoop, type PhaseResult } from "./phase.js";

export interface AllSubscribersPlan {
  /** Viewers of the one match. */
  viewers: number;
  /** Sockets following every match (`subscribe_all`), joining them for the second phase. */
  allSubscribers: number;
  concurrency: number;
  /** Length of each measured phase. */
  seconds: number;
  /** As in the fan-out: the closed loop keeps about this many deliveries on their way. */
  deliveriesInFlight: number;
  settleMs: number;
}

export interface AllSubscribersResult {
  viewers: number;
  allSubscribers: number;
  /** The sustained phase with the viewers of the one match alone. */
  alone: PhaseResult;
  /** The same publishing once the all-subscribers are connected too. */
  joined: PhaseResult;
  /** The most of a core other work took during either phase, percent. */
  foreignPercent: number;
  errors: string[];
  warnings: string[];
}

/** Server CPU of a phase per delivery, µs, counted two ways. */
export interface DeliveryCost {
  /** Divided by the deliveries to viewers of the one match only. */
  perViewerDelivery: number;
  /** Divided by every delivery, all-subscribers' too. */
  perDelivery: number;
}

export function deliveryCost(phase: PhaseResult): DeliveryCost {
  const serverUs = phase.cpuUsPerDelivery * phase.deliveries;
  return {
    perViewerDelivery: serverUs / (phase.deliveriesBy.scores ?? 0),
    perDelivery: phase.cpuUsPerDelivery,
  };
}

/** Sockets following every match; the one match published is the only one there is. */
const allSubscribers = (deployment: Deployment) => ({
  dialect: deployment.dialect,
  subscription: { kind: "all-scores" as const, matchId: MATCH_ID },
});

/** A short closed loop before each measured one, so neither pays for code run the first time. */
const WARM_UP_SECONDS = 1;

/**
 * Whether following every match makes deliveries to the viewers of one match
 * dearer: one matchday instance alone, the viewers of the match, a sustained
 * phase (closed loop, as in the fan-out); then the all-subscribers connect
 * and the same phase runs again, each update now reaching them too. The
 * server CPU of each phase is divided by the deliveries to the match's
 * viewers and by every delivery, so both costs compare across the phases.
 */
export async function runAllSubscribers(
  plan: AllSubscribersPlan,
  ctx: BenchContext,
): Promise<AllSubscribersResult> {
  return withMatch(matchday, "single", ctx, async (deployment, publisher) => {
    const { servers } = deployment;
    const errors: string[] = [];
    const connected = await connectViewers(ctx.pool, deployment, plan.viewers, plan.concurrency);
    if (connected.failed > 0) errors.push(`${connected.failed} viewers failed to connect`);
    await sleep(plan.settleMs);

    // The same updates in flight in both phases: the all-subscribers are extra deliveries.
    const inFlight = updatesInFlight(plan.deliveriesInFlight, connected.connected);
    const phase = { pool: ctx.pool, publisher, meter: new CpuMeter(benchProcesses(servers, ctx)) };
    const sustained = async () => {
      await closedLoop(phase, inFlight, WARM_UP_SECONDS);
      return closedLoop(phase, inFlight, plan.seconds);
    };
    const alone = await sustained();

    const following = await ctx.pool.connect(
      splitViewers(servers, plan.allSubscribers, allSubscribers(deployment)),
      plan.concurrency,
    );
    if (following.connected === 0) {
      throw new Error(`no all-subscriber connected: ${following.firstError}`);
    }
    if (following.failed > 0) errors.push(`${following.failed} all-subscribers failed to connect`);
    await sleep(plan.settleMs);
    const joined = await sustained();

    return {
      viewers: connected.connected,
      allSubscribers: following.connected,
      alone,
      joined,
      foreignPercent: foreignPercent(alone, joined),
      errors: [...new Set([...errors, ...alone.errors, ...joined.errors])],
      warnings: servers.flatMap((server) => server.warnings),
    };
  });
}
