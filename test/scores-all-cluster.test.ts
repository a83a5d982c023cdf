import { expect } from "chai";
import type { Match } from "../contract/index.js";
import type { RedisServer } from "./support/redis-server.js";
import { call, closeAll, publisher, viewer } from "./support/clients.js";
import { useCluster } from "./support/cluster.js";
import { pubsubKills, redisRestart, type Healing } from "./support/faults.js";
import { RedisMatchStore } from "../server/scores/redis-match-store.js";
import { MatchRecorder } from "./support/recorder.js";
import { streamWrites } from "./support/stream.js";
import { eventually } from "./support/wait.js";

const teams = { home: { name: "Ajax" }, away: { name: "PSV" } };

/** The contract: connected subscribers hold the latest version within 5 s of Redis healing. */
const CONVERGE_MS = 5000;

/** A viewer on `url` following every match, recording all it is sent. */
async function followingAll(url: string): Promise<MatchRecorder> {
  const socket = await viewer(url);
  const seen = new MatchRecorder();
  socket.on("match", seen.record);
  const answer = await call(socket, "subscribe_all", {});
  if (!answer.ok) throw new Error(answer.error.message);
  seen.record(...(answer.matches as Match[]));
  return seen;
}

/** The versions stored in Redis of the matches whose id starts with `prefix`. */
async function storedVersions(redis: RedisServer, prefix: string): Promise<Map<string, number>> {
  const client = await redis.client();
  try {
    const all = await new RedisMatchStore(client, "test:").list();
    return new Map(
      all.filter(({ id }) => id.startsWith(prefix)).map(({ id, version }) => [id, version]),
    );
  } finally {
    await client.close();
  }
}

describe("/scores subscribe_all across instances on one Redis", () => {
  const cluster = useCluster(2);
  afterEach(closeAll);

  it("delivers creations and updates made on A to an all-subscriber on B", async () => {
    const id = `x${Date.now().toString(36)}`;
    const seen = await followingAll(cluster.instances[1].url);
    const pub = await publisher(cluster.instances[0].url);
    await call(pub, "publish", { id, ...teams });
    await call(pub, "publish", { id, home: { score: 1 } });
    await eventually("B's all-subscriber holds version 2", () => seen.latest(id) === 2);
    expect(seen.versions.get(id)).to.deep.equal([1, 2]);
  });

  it("repairs a creation and an update whose broadcasts were lost, within 5 s", async () => {
    const [created, updated] = [`y${Date.now().toString(36)}`, `z${Date.now().toString(36)}`];
    const pub = await publisher(cluster.instances[0].url);
    await call(pub, "publish", { id: updated, ...teams });
    const recorders = await Promise.all(cluster.instances.map((i) => followingAll(i.url)));
    // Written to storage behind the instances' backs: no broadcast at all.
    const client = await cluster.redis.client();
    try {
      const store = new RedisMatchStore(client, "test:");
      await store.publish({ id: created, ...teams });
      await store.publish({ id: updated, minute: 1 });
    } finally {
      await client.close();
    }
    const tookMs = await eventually(
      "every all-subscriber holds both",
      () => recorders.every((seen) => seen.latest(created) === 1 && seen.latest(updated) === 2),
      CONVERGE_MS,
    );
    console.log(`      repaired after ${tookMs} ms`);
  });
});

describe("/scores subscribe_all through Redis faults (3 instances)", function () {
  this.timeout(60_000);
  const cluster = useCluster(3, { persistent: true });
  afterEach(closeAll);

  /**
   * Streams updates of a few matches and creations of new ones from A while
   * `fault` runs, then checks that every all-subscriber on every instance
   * held every match's version stored at healing within 5 s of it, and
   * ends with the final versions, nothing repeated or out of order.
   */
  async function convergesThrough(fault: (stored: () => Promise<number>) => Promise<Healing>) {
    const run = `f${Date.now().toString(36)}-`;
    const pub = await publisher(cluster.instances[0].url);
    for (let k = 0; k < 3; k++) await call(pub, "publish", { id: `${run}k${k}`, ...teams });
    const recorders = await Promise.all(
      cluster.instances.flatMap((instance) => [
        followingAll(instance.url),
        followingAll(instance.url),
      ]),
    );
    let atHeal = new Map<string, number>();
    const healing = fault(async () => {
      atHeal = await storedVersions(cluster.redis, run);
      return atHeal.size;
    });
    const write = (i: number) => {
      const update =
        i % 4 === 0 ? { id: `${run}n${i}`, ...teams } : { id: `${run}k${i % 3}`, minute: i % 90 };
      return call(pub, "publish", update).then(
        (answer) => ({ ok: answer.ok as boolean, code: answer.error?.code as string }),
        () => ({ ok: false, code: "unavailable" }),
      );
    };
    const tally = await streamWrites(write, 20, healing);
    const { healedAt } = await healing;
    const final = await storedVersions(cluster.redis, run);
    await eventually(
      `every all-subscriber holds the ${final.size} matches' final versions`,
      () => recorders.every((seen) => [...final].every(([id, v]) => seen.latest(id) === v)),
      CONVERGE_MS + 2000,
    );
    const reached = recorders.flatMap((seen) =>
      [...atHeal].map(([id, version]) => seen.reachedAt(id, version)!),
    );
    const convergedMs = Math.max(0, ...reached.map((at) => at - healedAt));
    const violations = recorders.reduce((sum, seen) => sum + seen.violations(), 0);
    console.log(
      `      published ok ${tally.ok}, unavailable ${tally.unavailable}, matches ${final.size}, ` +
        `all-subscribers ${recorders.length}, held the state stored at healing ` +
        `${convergedMs} ms after it, repeated or out of order ${violations}`,
    );
    expect(atHeal.size).to.be.greaterThan(3);
    expect(violations).to.equal(0);
    expect(convergedMs).to.be.below(CONVERGE_MS);
  }

  it("converges after Redis is SIGKILLed and restarted (append-only file)", () =>
    convergesThrough((stored) => redisRestart(cluster.redis, stored)));

  it("converges after CLIENT KILL TYPE pubsub", () =>
    convergesThrough((stored) => pubsubKills(cluster.redis, stored)));
});
