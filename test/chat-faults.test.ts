import { expect } from "chai";
import { chatter, closeAll, type ChatSocket } from "./support/clients.js";
import { useCluster } from "./support/cluster.js";
import { pubsubKills, redisRestart, repairs, storedNumber } from "./support/faults.js";
import { MessageRecorder } from "./support/recorder.js";
import { streamWrites } from "./support/stream.js";
import { eventually } from "./support/wait.js";

/** The contract: a lost broadcast is filled from storage within 5 s of Redis healing. */
const REPAIR_MS = 5000;
const env = {
  CHAT_MESSAGES_PER_SECOND: "1000",
  CHAT_MESSAGE_BURST: "1000",
  SOCKET_EVENT_BURST: "1000",
};

describe("/chat through Redis faults (3 instances, 50 messages/s)", function () {
  this.timeout(60_000);
  const cluster = useCluster(3, { persistent: true, env });
  afterEach(closeAll);

  async function members(room: string) {
    const recorders: MessageRecorder[] = [];
    for (const instance of cluster.instances) {
      for (let i = 0; i < 2; i++) {
        const recorder = new MessageRecorder();
        const socket = await chatter(instance.url);
        socket.on("message", recorder.record);
        const answer = await socket.timeout(5000).emitWithAck("join", { room });
        if (answer.ok) recorder.record(...answer.history);
        recorders.push(recorder);
      }
    }
    return recorders;
  }

  const head = (room: string) => storedNumber(cluster.redis, "test:room-seqs", room);

  const stream = (sender: ChatSocket, room: string, stop: Promise<unknown>) =>
    streamWrites(
      async (i) => {
        const answer = await sender
          .timeout(5000)
          .emitWithAck("send", { room, text: `m${i}`, nonce: `n${i}` });
        return answer.ok ? { ok: true } : { ok: false, code: answer.error.code };
      },
      20,
      stop,
    );

  async function audit(
    room: string,
    recorders: MessageRecorder[],
    healedAt: number,
    atHeal: number,
  ) {
    const final = await head(room);
    await eventually(
      `every member holds seq ${final}`,
      () => recorders.every((r) => r.count(room) >= final),
      REPAIR_MS + 2000,
    );
    const audits = recorders.map((recorder) => recorder.audit(room, final));
    const repaired = await repairs(cluster.instances);
    const repairedMs =
      atHeal === 0
        ? 0
        : Math.max(0, ...recorders.map((r) => r.reachedAt(room, atHeal)! - healedAt));
    return { final, audits, repairedMs, repaired };
  }

  function report(
    label: string,
    tally: { ok: number; unavailable: number },
    result: Awaited<ReturnType<typeof audit>>,
  ) {
    const sum = (key: "missing" | "duplicates" | "outOfOrder") =>
      result.audits.reduce((n, a) => n + a[key], 0);
    console.log(
      `      ${label}: sent ok ${tally.ok}, unavailable ${tally.unavailable}, stored ${result.final}, ` +
        `delivered per member ${result.audits.map((a) => a.received).join("/")}, missing ${sum("missing")}, ` +
        `duplicates ${sum("duplicates")}, out of order ${sum("outOfOrder")}, ` +
        `every member held the seq stored at healing ${result.repairedMs} ms after, ` +
        `repairs from storage so far ${result.repaired}`,
    );
    for (const a of result.audits) {
      expect(a).to.deep.equal({ received: result.final, missing: 0, duplicates: 0, outOfOrder: 0 });
    }
    expect(result.repairedMs).to.be.below(REPAIR_MS);
  }

  it("delivers every seq once, in order, after Redis is SIGKILLed and restarted", async () => {
    const room = `fault-chat-${Date.now()}`;
    const recorders = await members(room);
    const sender = await chatter(cluster.instances[0]!.url);
    await sender.timeout(5000).emitWithAck("join", { room });
    const fault = redisRestart(cluster.redis, () => head(room));
    const tally = await stream(sender, room, fault);
    const { healedAt, atHeal } = await fault;
    const result = await audit(room, recorders, healedAt, atHeal);
    report("redis restart", tally, result);
    expect(tally.unavailable).to.be.greaterThan(0);
    expect(tally.other).to.equal(0);
  });

  it("fills gaps after the subscriber connections are killed (CLIENT KILL TYPE pubsub)", async () => {
    const room = `fault-chat-pubsub-${Date.now()}`;
    const recorders = await members(room);
    const sender = await chatter(cluster.instances[0]!.url);
    await sender.timeout(5000).emitWithAck("join", { room });
    const fault = pubsubKills(cluster.redis, () => head(room));
    const tally = await stream(sender, room, fault);
    const { healedAt, atHeal } = await fault;
    const result = await audit(room, recorders, healedAt, atHeal);
    report("pubsub kill", tally, result);
    expect(tally.unavailable + tally.other).to.equal(0);
  });
});
