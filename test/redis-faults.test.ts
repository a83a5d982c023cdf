import { expect } from "chai";
import { chatter, closeAll, publisher, viewer } from "./support/clients.js";
import { useCluster } from "./support/cluster.js";
import { pubsubKills, redisRestart, repairs, readStored, type Healing } from "./support/faults.js";
import { RedisMessageStore } from "../server/chat/redis-message-store.js";
import { RedisMatchStore } from "../server/scores/redis-match-store.js";
import type { RedisServer } from "./support/redis-server.js";
import { MatchRecorder, MessageRecorder } from "./support/recorder.js";
import { streamWrites, type StreamTally } from "./support/stream.js";
import { eventually } from "./support/wait.js";

/** The contract: connected sockets hold what was stored within 5 s of Redis healing. */
const CONVERGE_MS = 5000;

type Cluster = ReturnType<typeof useCluster>;

/** One stream of numbered writes (match versions, room seqs) and everyone who follows it. */
interface Subject {
  /** Writes the i-th change; answers how the server answered. */
  write(i: number): Promise<{ ok: boolean; code?: string }>;
  /** The stored head position (version, seq), read from Redis itself. */
  stored(): Promise<number>;
  /** Whether every follower holds `head`, and when each reached `position`. */
  holds(head: number): boolean;
  reachedAt(position: number): number[];
  /** Asserts the stream arrived whole at every follower; answers a line for the log. */
  audit(final: number, tally: StreamTally): string;
}

interface Kind {
  title: string;
  env?: Record<string, string>;
  everyMs: number;
  /** Followers, two on every instance, and a writer on the first. */
  start(cluster: Cluster, key: string): Promise<Subject>;
}

const teams = { home: { name: "Ajax" }, away: { name: "PSV" } };

const scores: Kind = {
  title: "/scores (3 instances, 100 updates/s)",
  everyMs: 10,
  async start(cluster, id) {
    const pub = await publisher(cluster.instances[0].url);
    await pub.timeout(5000).emitWithAck("publish", { id, ...teams });
    const recorders = await followers(cluster, async (url) => {
      const recorder = new MatchRecorder();
      const socket = await viewer(url);
      socket.on("match", recorder.record);
      const answer = await socket.timeout(5000).emitWithAck("subscribe", { ids: [id] });
      if (answer.ok) recorder.record(...answer.matches);
      return recorder;
    });
    return {
      async write(i) {
        const answer = await pub.timeout(5000).emitWithAck("publish", { id, home: { score: i } });
        return answer.ok ? { ok: true } : { ok: false, code: answer.error.code };
      },
      stored: () =>
        readStored(
          cluster.redis,
          async (client) =>
            (await new RedisMatchStore(client, "test:").versions([id])).get(id) ?? 0,
        ),
      holds: (head) => recorders.every((recorder) => recorder.latest(id) === head),
      reachedAt: (position) => recorders.map((recorder) => recorder.reachedAt(id, position)!),
      audit(final, tally) {
        const violations = recorders.reduce((sum, recorder) => sum + recorder.violations(), 0);
        // Every acknowledged publish is a version, and so is the match's creation.
        expect(final).to.be.at.least(tally.ok + 1);
        if (tally.unavailable === 0) expect(final).to.equal(tally.ok + 1);
        expect(violations, "versions duplicated or out of order").to.equal(0);
        return (
          `final version ${final}, delivered latest to ${recorders.length}/${recorders.length} ` +
          `subscribers, lost 0, duplicated or out of order ${violations}`
        );
      },
    };
  },
};

const chat: Kind = {
  title: "/chat (3 instances, 50 messages/s)",
  env: { CHAT_MESSAGES_PER_SECOND: "1000", CHAT_MESSAGE_BURST: "1000", SOCKET_EVENT_BURST: "1000" },
  everyMs: 20,
  async start(cluster, room) {
    const recorders = await followers(cluster, async (url) => {
      const recorder = new MessageRecorder();
      const socket = await chatter(url);
      socket.on("message", recorder.record);
      const answer = await socket.timeout(5000).emitWithAck("join", { room });
      if (answer.ok) recorder.record(...answer.history);
      return recorder;
    });
    const sender = await chatter(cluster.instances[0].url);
    await sender.timeout(5000).emitWithAck("join", { room });
    return {
      async write(i) {
        const answer = await sender
          .timeout(5000)
          .emitWithAck("send", { room, text: `m${i}`, nonce: `n${i}` });
        return answer.ok ? { ok: true } : { ok: false, code: answer.error.code };
      },
      stored: () =>
        readStored(
          cluster.redis,
          async (client) =>
            (await new RedisMessageStore(client, "test:").heads([room])).get(room) ?? 0,
        ),
      holds: (head) => recorders.every((recorder) => recorder.count(room) >= head),
      reachedAt: (position) => recorders.map((recorder) => recorder.reachedAt(room, position)!),
      audit(final) {
        const audits = recorders.map((recorder) => recorder.audit(room, final));
        for (const audit of audits) {
          expect(audit).to.deep.equal({
            received: final,
            missing: 0,
            duplicates: 0,
            outOfOrder: 0,
          });
        }
        return `stored ${final}, delivered per member ${audits.map((a) => a.received).join("/")}, missing 0, duplicates 0, out of order 0`;
      },
    };
  },
};

async function followers<R>(cluster: Cluster, follow: (url: string) => Promise<R>): Promise<R[]> {
  const recorders: R[] = [];
  for (const instance of cluster.instances) {
    for (let i = 0; i < 2; i++) recorders.push(await follow(instance.url));
  }
  return recorders;
}

const faults: Array<{
  title: string;
  run: (redis: RedisServer, stored: () => Promise<number>) => Promise<Healing>;
  /** What the writer is told while it lasts. */
  tally(tally: StreamTally): void;
}> = [
  {
    title: "Redis SIGKILLed and restarted mid-stream",
    run: redisRestart,
    tally(tally) {
      expect(tally.ok).to.be.greaterThan(100);
      expect(tally.unavailable, "writes while Redis was down").to.be.greaterThan(0);
      expect(tally.other).to.equal(0);
    },
  },
  {
    title: "subscriber connections killed (CLIENT KILL TYPE pubsub)",
    run: pubsubKills,
    tally(tally) {
      expect(tally.unavailable + tally.other).to.equal(0);
    },
  },
];

for (const kind of [scores, chat]) {
  describe(`${kind.title} through Redis faults`, function () {
    this.timeout(60_000);
    const cluster = useCluster(3, { persistent: true, ...(kind.env ? { env: kind.env } : {}) });
    afterEach(closeAll);

    for (const fault of faults) {
      it(`converges within 5 s: ${fault.title}`, async () => {
        const subject = await kind.start(cluster, `fault-${Date.now().toString(36)}`);
        const happened = fault.run(cluster.redis, () => subject.stored());
        const tally = await streamWrites((i) => subject.write(i), kind.everyMs, happened);
        const { healedAt, atHeal } = await happened;
        let final = 0;
        await eventually(
          "every follower holds what is stored",
          async () => subject.holds((final = await subject.stored())),
          CONVERGE_MS + 2000,
        );
        const convergedMs =
          atHeal === 0 ? 0 : Math.max(0, ...subject.reachedAt(atHeal).map((at) => at - healedAt));
        const line = subject.audit(final, tally);
        console.log(
          `      ${fault.title}: ok ${tally.ok}, unavailable ${tally.unavailable}, ${line}, ` +
            `held the position stored at healing ${convergedMs} ms after, ` +
            `repairs from storage so far ${await repairs(cluster.instances)}`,
        );
        fault.tally(tally);
        expect(convergedMs).to.be.below(CONVERGE_MS);
      });
    }
  });
}
