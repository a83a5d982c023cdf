import { sleep } from "./clock.js";
import { coreTimes } from "./proc-stats.js";

const SAMPLE_MS = 500;

/**
 * Waits, at most `maxMs`, until no core is busier than `percent` over a
 * short sample while the bench itself is idle: another build or test run on
 * the machine would otherwise be measured as the servers' own slowness.
 * Answers whether the machine went quiet.
 */
export async function waitForQuiet(percent: number, maxMs: number): Promise<boolean> {
  for (let waited = 0; waited < maxMs; waited += SAMPLE_MS) {
    const start = coreTimes();
    await sleep(SAMPLE_MS);
    const end = coreTimes();
    const busiest = Math.max(
      ...end.map((core, i) => (100 * (core.busy - start[i].busy)) / (core.total - start[i].total)),
    );
    if (busiest <= percent) return true;
  }
  return false;
}
