import { monotonicMs } from "./clock.js";
import { waitForQuiet } from "./quiet.js";

/** A measurement that knows how much of a core other work took while it ran. */
interface Disturbable {
  foreignPercent: number;
}

/**
 * Keeps other work on the machine (builds, test runs, the hypervisor) out of
 * the measurements, within a time budget: each measurement waits a little
 * for the machine to be quiet, and one that was disturbed anyway is repeated
 * once. When the budget is spent, measurements run as they come and the
 * report shows how disturbed they were.
 */
export class DisturbanceGuard {
  constructor(
    /** Other work above this share of a core disturbs a measurement. */
    private readonly percent: number,
    private readonly quietWaitMs: number,
    private patienceMs: number,
  ) {}

  /** Answers the measurement kept and, if one was repeated, the discarded one. */
  async measure<T extends Disturbable>(
    run: () => Promise<T | undefined>,
    onResult: (result: T) => void,
  ): Promise<{ kept?: T; discarded?: T }> {
    let discarded: T | undefined;
    for (let tries = 1; ; tries++) {
      const waitStarted = monotonicMs();
      if (this.patienceMs > 0 && !(await waitForQuiet(this.percent, this.quietWaitMs))) {
        console.log("  (the machine is busy with other work; measuring anyway)");
      }
      this.patienceMs -= monotonicMs() - waitStarted;
      const runStarted = monotonicMs();
      const result = await run();
      if (!result) return discarded ? { discarded } : {};
      onResult(result);
      if (result.foreignPercent <= this.percent || tries === 2 || this.patienceMs <= 0) {
        return discarded ? { kept: result, discarded } : { kept: result };
      }
      discarded = result;
      this.patienceMs -= monotonicMs() - runStarted;
      console.log(`  (other work took ${Math.round(result.foreignPercent)}% of a core: again)`);
    }
  }
}
