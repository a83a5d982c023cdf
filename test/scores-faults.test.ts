import { expect } from "chai";
import { closeAll, publisher, viewer, type ScoresSocket } from "./support/clients.js";
import { useCluster } from "./support/cluster.js";
import { pubsubKills, redisRestart, repairs, storedNumber } from "./support/faults.js";
import { request } from "./support/http.js";
import { MatchRecorder } from "./support/recorder.js";
import { streamWrites } from "./support/stream.js";
import { eventually } from "./support/wait.js";

const teams = { home: { name: "Ajax" }, away: { name: "PSV" } };

/** The contract: connected subscribers hold the latest version within 5 s of Redis healing. */
const CONVERGE_MS = 5000;

describe("/scores through Redis faults (3 instances, 100 updates/s)", function () {
  this.timeout(60_000);
  const cluster = useCluster(3, { persistent: true });
  afterEach(closeAll);

  async function watchers(id: string) {
    const recorders: MatchRecorder[] = [];
    for (const instance of cluster.instances) {
      for (let i = 0; i < 2; i++) {
        const recorder = new MatchRecorder();
        const socket = await viewer(instance.url);
        socket.on("match", recorder.record);
        const answer = await socket.timeout(5000).emitWithAck("subscribe", { ids: [id] });
        if (answer.ok) recorder.record(...answer.matches);
        recorders.push(recorder);
      }
    }
    return recorders;
  }

  const stream = (pub: ScoresSocket, id: string, stop: Promise<unknown>) =>
    streamWrites(
      async (i) => {
        const answer = await pub.timeout(5000).emitWithAck("publish", { id, home: { score: i } });
        return answer.ok ? { ok: true } : { ok: false, code: answer.error.code };
      },
      10,
      stop,
    );

  async function storedVersion(id: string): Promise<number> {
    let version = 0;
    await eventually("the match can be read again", async () => {
      const answer = await request(`${cluster.instances[0]!.url}/api/matches/${id}`);
      version = answer.body?.version ?? 0;
      return answer.status === 200;
    });
    return version;
  }

  const versionInRedis = (id: string) => storedNumber(cluster.redis, "test:match-versions", id);

  /**
   * Checks the contract's convergence at two points: the version stored when
   * Redis healed reached every subscriber within 5 s of healing, and after
   * the stream the final version reached all, with nothing out of order.
   */
  async function converge(
    id: string,
    recorders: MatchRecorder[],
    healedAt: number,
    atHeal: number,
  ) {
    const final = await storedVersion(id);
    await eventually(
      `every subscriber holds version ${final}`,
      () => recorders.every((recorder) => recorder.latest(id) === final),
      CONVERGE_MS + 2000,
    );
    const reached = recorders.map((recorder) => recorder.reachedAt(id, atHeal)!);
    const convergedMs = Math.max(0, ...reached.map((at) => at - healedAt));
    const duplicatesOrOutOfOrder = recorders.reduce((sum, r) => sum + r.violations(), 0);
    const repaired = await repairs(cluster.instances);
    return { final, convergedMs, duplicatesOrOutOfOrder, repaired };
  }

  it("converges after Redis is SIGKILLed and restarted mid-stream", async () => {
    const id = `fault-restart-${Date.now()}`;
    const pub = await publisher(cluster.instances[0]!.url);
    await pub.timeout(5000).emitWithAck("publish", { id, ...teams });
    const recorders = await watchers(id);

    const fault = redisRestart(cluster.redis, () => versionInRedis(id));
    const tally = await stream(pub, id, fault);
    const { healedAt, atHeal } = await fault;
    const result = await converge(id, recorders, healedAt, atHeal);

    console.log(
      `      redis restart: published ok ${tally.ok}, unavailable ${tally.unavailable}, ` +
        `final version ${result.final}, delivered latest to ${recorders.length}/${recorders.length} ` +
        `subscribers, lost 0, duplicated or out of order ${result.duplicatesOrOutOfOrder}, ` +
        `held the version stored at healing ${result.convergedMs} ms after Redis was back, ` +
        `repairs from storage so far ${result.repaired}`,
    );
    expect(tally.ok).to.be.greaterThan(100);
    expect(tally.unavailable).to.be.greaterThan(0);
    expect(tally.other).to.equal(0);
    expect(result.final).to.be.at.least(tally.ok + 1);
    expect(result.duplicatesOrOutOfOrder).to.equal(0);
    expect(result.convergedMs).to.be.below(CONVERGE_MS);
  });

  it("converges after the instances' subscriber connections are killed (CLIENT KILL TYPE pubsub)", async () => {
    const id = `fault-pubsub-${Date.now()}`;
    const pub = await publisher(cluster.instances[0]!.url);
    await pub.timeout(5000).emitWithAck("publish", { id, ...teams });
    const recorders = await watchers(id);
    const fault = pubsubKills(cluster.redis, () => versionInRedis(id));
    const tally = await stream(pub, id, fault);
    const { healedAt, atHeal } = await fault;
    const result = await converge(id, recorders, healedAt, atHeal);

    console.log(
      `      pubsub kill: published ok ${tally.ok}, unavailable ${tally.unavailable}, ` +
        `final version ${result.final}, duplicated or out of order ${result.duplicatesOrOutOfOrder}, ` +
        `held the version stored at healing ${result.convergedMs} ms after the last kill, ` +
        `repairs from storage so far ${result.repaired}`,
    );
    expect(tally.unavailable + tally.other).to.equal(0);
    expect(result.final).to.equal(tally.ok + 1);
    expect(result.duplicatesOrOutOfOrder).to.equal(0);
    expect(result.convergedMs).to.be.below(CONVERGE_MS);
  });
});
