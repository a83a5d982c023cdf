import { expect } from "chai";
import { useProcessCluster } from "./support/process-cluster.js";
import { sleep } from "./support/stream.js";
import { Traffic } from "./support/traffic.js";
import { eventually } from "./support/wait.js";

/** Chat limits out of the way: the sender posts 20 messages/s as one user. */
const env = { CHAT_MESSAGES_PER_SECOND: "100", CHAT_MESSAGE_BURST: "100", DRAIN_WINDOW_MS: "2000" };

describe("graceful drain: SIGTERM one instance of three under live traffic", function () {
  this.timeout(90_000);
  const cluster = useProcessCluster({ env });

  it("exits 0 after spreading its clients over the window, and nobody loses an update or a message", async () => {
    const traffic = await Traffic.start({
      viewUrl: cluster.proxy.url,
      writeUrl: cluster.instances[0].url,
      viewers: 24,
      members: 24,
    });
    try {
      await sleep(1000);
      const drained = cluster.instances[2];
      const signalledAt = Date.now();
      drained.signal("SIGTERM");
      // The signal reaches the instance's event loop in its own time; from
      // the moment it logs the drain, every request must see it.
      await eventually("the instance logs the drain", () =>
        drained.logs.some((l) => l.includes('"msg":"draining"')),
      );
      const readyz = await fetch(`${drained.url}/readyz`);
      expect(readyz.status, "/readyz is 503 once the drain has begun").to.equal(503);
      const exit = await drained.exited();
      const exitMs = Date.now() - signalledAt;
      await sleep(1500);
      const tally = await traffic.stop();
      const result = await traffic.converge();
      const spread =
        traffic.drops.length > 1 ? Math.max(...traffic.drops) - Math.min(...traffic.drops) : 0;
      console.log(
        `      drain: exit code ${exit.code} after ${exitMs} ms; ${traffic.drops.length} clients moved, ` +
          `disconnects spread over ${spread} ms (window 2000 ms); published ${tally.published.ok}, ` +
          `sent ${tally.sent.ok}; viewers out of order or repeated ${result.scores.outOfOrderOrRepeated}, ` +
          `chat missing ${result.chat.missing}, duplicates ${result.chat.duplicates}, ` +
          `out of order ${result.chat.outOfOrder}; converged in ${result.convergedMs} ms`,
      );
      expect(exit.code).to.equal(0);
      expect(exitMs).to.be.below(30_000);
      expect(traffic.drops.length, "clients of the drained instance reconnected").to.be.greaterThan(
        0,
      );
      expect(spread, "disconnects are spread, not a stampede").to.be.greaterThan(500);
      expect(tally.published.other + tally.published.unavailable).to.equal(0);
      expect(tally.sent.other + tally.sent.unavailable).to.equal(0);
      expect(result.scores.outOfOrderOrRepeated).to.equal(0);
      expect(result.chat).to.deep.equal({ missing: 0, duplicates: 0, outOfOrder: 0 });
    } finally {
      traffic.close();
    }
  });
});
