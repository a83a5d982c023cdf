/**
 * Milliseconds on the machine's monotonic clock (`process.hrtime` reads
 * CLOCK_MONOTONIC on Linux). Unlike `performance.now()`, it shares its origin
 * between processes, so a publish time taken by the runner and an arrival
 * time taken by a load worker can be subtracted.
 */
export function monotonicMs(): number {
  const [seconds, nanoseconds] = process.hrtime();
  return seconds * 1e3 + nanoseconds / 1e6;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Resolves when `done()` holds, checking every 20 ms; rejects with `what` after `timeoutMs`. */
export async function until(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = monotonicMs() + timeoutMs;
  while (!done()) {
    if (monotonicMs() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
    await sleep(20);
  }
}
