import { expect } from "chai";
import { Chat, Connection } from "../client/index.js";
import type { ServiceProcess } from "../scripts/service-process.js";
import { killPubsub } from "./support/faults.js";
import { statusOf } from "./support/http.js";
import { useProcessCluster } from "./support/process-cluster.js";
import { sleep } from "./support/stream.js";
import { Traffic } from "./support/traffic.js";
import { eventually } from "./support/wait.js";
import { GENEROUS_LIMITS } from "./support/instances.js";

/** The contract's bound, from Redis (or the instance) being back to every client holding the latest. */
const CATCH_UP_MS = 5000;

/** `/readyz`'s status, or 0 when the instance does not answer within a second. */
const readyz = (url: string) => statusOf(`${url}/readyz`);

describe("failure drills: 3 instances behind HAProxy, live traffic through the client library", function () {
  this.timeout(90_000);
  const cluster = useProcessCluster({ persistent: true, env: GENEROUS_LIMITS });
  let traffic: Traffic;

  beforeEach(async () => {
    const running = cluster.instances.filter((i) => i.running).length;
    await eventually(
      "the balancer routes to every running instance",
      async () => {
        return (await cluster.proxy.serving()).size === running;
      },
      15_000,
    );
    traffic = await Traffic.start({
      viewUrl: cluster.proxy.url,
      writeUrl: cluster.instances[0].url,
      viewers: 12,
      members: 12,
    });
    await sleep(500);
  });
  afterEach(() => traffic.close());

  /** Waits until every instance's `/readyz` answers `status`. */
  function everyReadyz(status: number): Promise<number> {
    return eventually(`every /readyz says ${status}`, async () =>
      (await Promise.all(cluster.instances.map((i) => readyz(i.url)))).every((s) => s === status),
    );
  }

  /** Heals, lets traffic run on, then checks the contract's counts, timing and that no process ended. */
  async function finish(label: string, healedAt: number, survivors: ServiceProcess[]) {
    const atHeal = await traffic.stored();
    await sleep(1000);
    const tally = await traffic.stop();
    const result = await traffic.converge();
    const caughtUpMs = traffic.caughtUpAfter(healedAt, atHeal);
    console.log(
      `      ${label}: published ${tally.published.ok} (+${tally.published.unavailable} unavailable), ` +
        `sent ${tally.sent.ok} (+${tally.sent.unavailable} unavailable); lost ${result.chat.missing}, ` +
        `duplicated ${result.chat.duplicates}, out of order ${result.chat.outOfOrder + result.scores.outOfOrderOrRepeated}; ` +
        `everyone held the state at healing ${caughtUpMs} ms after it`,
    );
    expect(result.chat).to.deep.equal({ missing: 0, duplicates: 0, outOfOrder: 0 });
    expect(result.scores.outOfOrderOrRepeated).to.equal(0);
    expect(tally.published.other + tally.sent.other, "no answer but ok or unavailable").to.equal(0);
    expect(caughtUpMs).to.be.below(CATCH_UP_MS);
    for (const instance of survivors) expect(instance.running, "no instance exited").to.equal(true);
    for (const instance of survivors) expect(await readyz(instance.url)).to.equal(200);
  }

  it("Redis SIGKILLed and restarted", async () => {
    await cluster.redis.kill();
    await everyReadyz(503);
    await sleep(2000);
    await cluster.redis.restart();
    const healedAt = Date.now();
    await everyReadyz(200);
    await finish("redis killed 2+ s", healedAt, cluster.instances);
  });

  it("Redis paused (SIGSTOP) for 3 s", async () => {
    cluster.redis.pause();
    await eventually(
      "/readyz says 503 while Redis does not answer",
      async () => (await readyz(cluster.instances[1].url)) === 503,
    );
    await sleep(2000);
    cluster.redis.resume();
    const healedAt = Date.now();
    await finish("redis paused 3 s", healedAt, cluster.instances);
  });

  it("the subscriber connections killed (CLIENT KILL TYPE pubsub)", async () => {
    await killPubsub(cluster.redis, 3, 200);
    await finish("pubsub connections killed 3 times", Date.now(), cluster.instances);
  });

  it("a slow instance cut off by a tiny client-output-buffer-limit for pubsub", async () => {
    const admin = await cluster.redis.client();
    const original = (await admin.configGet("client-output-buffer-limit"))[
      "client-output-buffer-limit"
    ];
    await admin.configSet("client-output-buffer-limit", "pubsub 256kb 128kb 1");
    const slow = cluster.instances[2];
    // Big messages, so the paused instance's kernel buffers fill and Redis's
    // output buffer for it grows past the limit within seconds.
    const flooder = new Connection(cluster.instances[0].url);
    const flood = new Chat(flooder).join(`${traffic.room}-flood`, {
      onMessage: () => {},
    });
    let flooding = true;
    const flooded = (async () => {
      while (flooding) await flood.send("⚽".repeat(2000)).catch(() => undefined);
    })();
    try {
      slow.signal("SIGSTOP");
      await eventually(
        "Redis cut the slow instance's subscriber off",
        async () => {
          const clients = String(await admin.sendCommand(["CLIENT", "LIST", "TYPE", "pubsub"]));
          return clients.trim().split("\n").filter(Boolean).length < cluster.instances.length;
        },
        30_000,
      );
    } finally {
      flooding = false;
      slow.signal("SIGCONT");
      await flooded;
      await flood.leave();
      flooder.close();
      await admin.configSet("client-output-buffer-limit", original);
      await admin.close();
    }
    await finish("slow instance cut off by Redis", Date.now(), cluster.instances);
  });

  it("an instance paused (SIGSTOP) for 4 s", async () => {
    const paused = cluster.instances[2];
    paused.signal("SIGSTOP");
    await sleep(4000);
    paused.signal("SIGCONT");
    await finish("instance paused 4 s", Date.now(), cluster.instances);
  });

  it("an instance SIGKILLed: its clients move to the others", async () => {
    const doomed = cluster.instances[2];
    doomed.signal("SIGKILL");
    await doomed.exited();
    const healedAt = Date.now();
    await eventually("its clients are live elsewhere", () => traffic.drops.length > 0);
    await finish("instance killed", healedAt, cluster.instances.slice(0, 2));
  });
});
