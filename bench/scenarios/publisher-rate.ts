import { okBody } from "../load/subscription.js";
import { monotonicMs } from "../support/clock.js";
import { matchday } from "../targets/matchday.js";
import { stopDeployment, type Topology } from "../targets/target.js";
import { Connection } from "../wire/connection.js";
import { dialectFor } from "../wire/dialects.js";
import type { BenchContext } from "./fanout.js";

export interface PublisherRatePlan {
  /** Matches the one publisher socket publishes to, side by side. */
  matches: number;
  seconds: number;
}

export interface PublisherRateResult {
  topology: Topology;
  matches: number;
  /** Publishes acknowledged `ok` per second, over the whole socket. */
  publishesPerSecond: number;
  /** No foreign load is measured here; the guard's field. */
  foreignPercent: number;
}

/**
 * One publisher socket feeding several matches at once, as a score feed for
 * a whole matchday does: each match's publishes one after another (each after
 * the previous ack), the matches side by side. No viewers: what is measured is
 * how fast one socket's publishes are taken, stored and answered. The
 * per-socket event limit is lifted for this run alone, so the server, not the
 * limit, sets the pace.
 */
export async function runPublisherRate(
  topology: Topology,
  plan: PublisherRatePlan,
  { redis }: Pick<BenchContext, "redis">,
): Promise<PublisherRateResult> {
  const deployment = await matchday.deploy(topology, {
    redis,
    env: { PUBLISHER_EVENTS_PER_SECOND: "1000000", PUBLISHER_EVENT_BURST: "1000000" },
  });
  const connection = new Connection(
    deployment.servers[0].port,
    dialectFor(deployment.dialect, "match"),
    deployment.publisherAuth,
  );
  try {
    await connection.ready;
    // Whole milliseconds: a fraction's "." is not allowed in a match id.
    const run = Math.round(monotonicMs()).toString(36);
    const ids = Array.from({ length: plan.matches }, (_, i) => `rate-${run}-${i}`);
    await Promise.all(
      ids.map(async (id) =>
        okBody(await connection.emit("publish", { id, home: { name: "H" }, away: { name: "A" } })),
      ),
    );
    let acked = 0;
    const started = monotonicMs();
    const end = started + plan.seconds * 1000;
    await Promise.all(
      ids.map(async (id) => {
        for (let score = 1; monotonicMs() < end; score++) {
          okBody(await connection.emit("publish", { id, home: { score } }));
          acked++;
        }
      }),
    );
    const publishesPerSecond = acked / ((monotonicMs() - started) / 1000);
    return { topology, matches: plan.matches, publishesPerSecond, foreignPercent: 0 };
  } finally {
    connection.close();
    await stopDeployment(deployment);
  }
}
