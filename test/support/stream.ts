/** Counts of a stream of writes through a fault. */
export interface StreamTally {
  attempted: number;
  ok: number;
  /** Answered `unavailable` (or timed out): the write may or may not have been applied. */
  unavailable: number;
  other: number;
}

/**
 * Calls `write` every `everyMs` until `stop()` resolves, one at a time, and
 * tallies the answers by code.
 */
export async function streamWrites(
  write: (i: number) => Promise<{ ok: boolean; code?: string }>,
  everyMs: number,
  stop: Promise<unknown>,
): Promise<StreamTally> {
  const tally: StreamTally = { attempted: 0, ok: 0, unavailable: 0, other: 0 };
  let stopped = false;
  void stop.then(() => (stopped = true));
  while (!stopped) {
    const started = Date.now();
    tally.attempted++;
    const answer = await write(tally.attempted).catch(() => ({ ok: false, code: "unavailable" }));
    if (answer.ok) tally.ok++;
    else if (answer.code === "unavailable") tally.unavailable++;
    else tally.other++;
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, everyMs - (Date.now() - started))),
    );
  }
  return tally;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
