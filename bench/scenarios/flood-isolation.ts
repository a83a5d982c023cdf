import { Flood } from "../load/flood.js";
import type { FloodCounts } from "../load/protocol.js";
import { sleep } from "../support/clock.js";
import { CpuMeter, foreignPercent } from "../support/cpu-meter.js";
import { LOAD_CORE, type Target, type TargetId } from "../targets/target.js";
import {
  benchProcesses,
  connectViewers,
  fixedRate,
  withMatch,
  type BenchContext,
} from "./fanout.js";
import type { PhaseResult } from "./phase.js";

/** Sizes of one flood-isolation run. */
export interface FloodPlan {
  viewers: number;
  /** Connections being opened at once. */
  concurrency: number;
  /** Both windows offer this many deliveries per second, as the fan-out's fixed-rate phase does. */
  deliveriesPerSecond: number;
  /** Length of each window. */
  seconds: number;
  /** Pause between connecting and the first window, so the connect's own work is done. */
  settleMs: number;
  /** Hostile sockets flooding at once. */
  sockets: number;
  /** Events each hostile socket keeps unanswered, at most. */
  inFlight: number;
  /** Flooding before the flooded window opens, so the flood is at full pressure throughout it. */
  warmUpMs: number;
}

export interface FloodIsolationResult {
  target: TargetId;
  viewers: number;
  /** The fixed-rate window alone, then the same again while the flood goes on. */
  quiet: PhaseResult;
  flooded: PhaseResult;
  /** The whole flood, from the first hostile session to the end of the flooded window. */
  flood: FloodCounts;
  /** Sockets the server logged disconnecting because they kept flooding. */
  loggedFloodDisconnects: number;
  /** The most of a core other work took in either window, percent. */
  foreignPercent: number;
  /** Server warnings other than those disconnects. */
  warnings: string[];
}

/** What matchday logs (at warn) for each socket its event limit disconnects. */
const FLOOD_DISCONNECT = "disconnecting a socket that keeps flooding";

/**
 * One instance of `target` and the viewers of one match: delivery latency at
 * the fan-out's fixed rate, first alone, then while hostile sockets flood the
 * same server from the load core (see flooder.ts). The flood starts
 * `warmUpMs` before the second window and stops once its last update has
 * reached every viewer, so it covers the whole window.
 */
export async function runFloodIsolation(
  target: Target,
  plan: FloodPlan,
  ctx: BenchContext,
): Promise<FloodIsolationResult> {
  return withMatch(target, "single", ctx, async (deployment, publisher) => {
    const server = deployment.servers[0];
    const { connected } = await connectViewers(
      ctx.pool,
      deployment,
      plan.viewers,
      plan.concurrency,
    );
    await sleep(plan.settleMs);
    const processes = benchProcesses(deployment.servers, ctx);
    const window = (meter: CpuMeter) =>
      fixedRate(
        { pool: ctx.pool, publisher, meter },
        plan.deliveriesPerSecond,
        connected,
        plan.seconds,
      );

    const quiet = await window(new CpuMeter(processes));
    const flood = await Flood.start(
      {
        port: server.port,
        dialect: deployment.dialect,
        sockets: plan.sockets,
        inFlight: plan.inFlight,
      },
      LOAD_CORE,
    );
    try {
      await sleep(plan.warmUpMs);
      const flooded = await window(new CpuMeter([...processes, flood.measured()]));
      const counts = await flood.stop();
      const isFloodDisconnect = (line: string) => line.includes(FLOOD_DISCONNECT);
      return {
        target: target.id,
        viewers: connected,
        quiet,
        flooded,
        flood: counts,
        loggedFloodDisconnects: server.warnings.filter(isFloodDisconnect).length,
        foreignPercent: foreignPercent(quiet, flooded),
        warnings: server.warnings.filter((line) => !isFloodDisconnect(line)),
      };
    } finally {
      flood.kill();
    }
  });
}
