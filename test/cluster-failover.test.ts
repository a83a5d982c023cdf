import { expect } from "chai";
import type { ServiceProcess } from "../scripts/service-process.js";
import { chatter, closeAll, publisher, viewer } from "./support/clients.js";
import {
  ChatSender,
  colocated,
  paced,
  ScoreFeed,
  storedMessages,
  type Acked,
} from "./support/cluster-drill.js";
import { startProcessInstance } from "./support/process-instance.js";
import { MatchRecorder, MessageRecorder } from "./support/recorder.js";
import { RedisCluster } from "./support/redis-cluster.js";
import { sleep } from "./support/stream.js";
import { eventually } from "./support/wait.js";
import { GENEROUS_LIMITS } from "./support/instances.js";

/** The contract: connected clients hold the latest state within 5 s of the shard serving again. */
const CONVERGE_MS = 5000;
/** ~100 score updates/s and ~50 messages/s. */
const PUBLISH_EVERY_MS = 10;
const SEND_EVERY_MS = 20;
/** Traffic before the kill, and after the shard serves again. */
const BEFORE_KILL_MS = 4000;
const AFTER_FAILOVER_MS = 6000;

/** One connected client of the match or the room, and when it reached each position. */
interface Follower {
  label: string;
  reachedAt(position: number): number | undefined;
  disconnects: string[];
}

for (const waitReplicas of [1, 0]) {
  describe(`Redis Cluster failover drill, REDIS_WAIT_REPLICAS=${waitReplicas}: 3 instance processes, a primary SIGKILLed mid-stream`, function () {
    this.timeout(60_000);
    let cluster: RedisCluster | undefined;
    const instances: ServiceProcess[] = [];

    before(async () => {
      // Two replicas per primary: after the failover the promoted replica still
      // has one, so that WAIT 1 can acknowledge changes again.
      cluster = await RedisCluster.start({
        persistent: true,
        nodeTimeoutMs: 1000,
        replicasPerPrimary: 2,
      });
      for (let i = 0; i < 3; i++) {
        instances.push(
          await startProcessInstance({
            REDIS_CLUSTER_NODES: cluster.seeds,
            REDIS_WAIT_REPLICAS: String(waitReplicas),
            INSTANCE_ID: `i${i}`,
            ...GENEROUS_LIMITS,
          }),
        );
      }
    });

    afterEach(function () {
      closeAll();
      if (this.currentTest?.state !== "failed") return;
      instances.forEach((instance, i) => {
        const notable = instance.logs.filter((line) => /"level":(40|50|60)|Error/.test(line));
        console.log(`      instance i${i} (running: ${instance.running}), warnings and errors:`);
        for (const line of notable.slice(-40)) console.log(`        ${line}`);
      });
    });

    after(async () => {
      await Promise.all(instances.map((instance) => instance.stop()));
      await cluster?.stop();
    });

    const title =
      waitReplicas > 0
        ? "loses no acknowledged change, delivers once and in order, converges within 5 s"
        : "counts the acknowledged changes lost, delivers once and in order, converges within 5 s";
    it(title, async () => {
      const urls = instances.map((instance) => instance.url);
      const { id, room, statesKey, seqKey, primary } = await colocated(
        cluster!,
        `fo${waitReplicas}${Date.now().toString(36)}`,
      );

      const pub = await publisher(urls[0]);
      const feed = new ScoreFeed(pub, urls[0], id);
      await feed.create();

      const viewers: Array<{ recorder: MatchRecorder; follower: Follower }> = [];
      const members: Array<{ recorder: MessageRecorder; follower: Follower }> = [];
      for (const [i, url] of urls.entries()) {
        for (let k = 0; k < 2; k++) {
          const recorder = new MatchRecorder();
          const socket = await viewer(url);
          const disconnects: string[] = [];
          socket.on("disconnect", (reason) => disconnects.push(reason));
          socket.on("match", recorder.record);
          const answer = await socket.timeout(5000).emitWithAck("subscribe", { ids: [id] });
          if (!answer.ok) throw new Error(`subscribe: ${answer.error.message}`);
          recorder.record(...answer.matches);
          viewers.push({
            recorder,
            follower: {
              label: `viewer ${k} on i${i}`,
              reachedAt: (version) => recorder.reachedAt(id, version),
              disconnects,
            },
          });
        }
        for (let k = 0; k < 2; k++) {
          const recorder = new MessageRecorder();
          const socket = await chatter(url);
          const disconnects: string[] = [];
          socket.on("disconnect", (reason) => disconnects.push(reason));
          socket.on("message", recorder.record);
          const answer = await socket.timeout(5000).emitWithAck("join", { room });
          if (!answer.ok) throw new Error(`join: ${answer.error.message}`);
          recorder.record(...answer.history);
          members.push({
            recorder,
            follower: {
              label: `member ${k} on i${i}`,
              reachedAt: (seq) => recorder.reachedAt(room, seq),
              disconnects,
            },
          });
        }
      }
      const senderSocket = await chatter(urls[1]);
      const joined = await senderSocket.timeout(5000).emitWithAck("join", { room });
      if (!joined.ok) throw new Error(`sender join: ${joined.error.message}`);
      const sender = new ChatSender(senderSocket, room);

      let stopWriting!: () => void;
      const stop = new Promise<void>((resolve) => (stopWriting = resolve));
      const writesStartedAt = Date.now();
      const writing = Promise.all([
        paced((i) => feed.update(i), PUBLISH_EVERY_MS, stop),
        paced((i) => sender.send(i), SEND_EVERY_MS, stop),
      ]);
      // A failed write stops the other stream too, so no loop outlives the test.
      writing.catch(() => stopWriting());

      let killedAt: number;
      let servingAt: number;
      let promotedWithinMs: number;
      let ackedAtServing: { version: number; seq: number };
      try {
        await sleep(BEFORE_KILL_MS);
        const admin = await primary.client();
        try {
          const stored = Number(await admin.hExists(statesKey, id));
          expect(stored, "the match is stored on the doomed primary").to.equal(1);
          expect(await admin.exists(seqKey), "the room is stored on the doomed primary").to.equal(
            1,
          );
        } finally {
          await admin.close();
        }
        killedAt = Date.now();
        const failover = await cluster!.killPrimaryOf(`{${room}}`);
        servingAt = Date.now();
        promotedWithinMs = failover.promotedWithinMs;
        ackedAtServing = { version: feed.latestAcked, seq: sender.latestAcked };
        expect(failover.killed.port).to.equal(primary.port);
        await sleep(AFTER_FAILOVER_MS);
      } finally {
        stopWriting();
      }
      const [updates, sends] = await writing;
      const writingMs = Date.now() - writesStartedAt;
      const rate = (count: number) => Math.round((count * 1000) / writingMs);

      // Read back through the HTTP API: the state and every message, after the failover.
      const match = await feed.read();
      const messages = await storedMessages(urls[2], room);
      const head = messages.at(-1)?.seq ?? 0;
      const finalMs = await eventually(
        `every viewer holds version ${match.version} and every member seq ${head}`,
        () =>
          viewers.every(({ recorder }) => recorder.latest(id) === match.version) &&
          members.every(({ recorder }) => recorder.count(room) >= head),
        CONVERGE_MS,
      ).catch((err: Error) => {
        const versions = viewers.map(({ recorder }) => recorder.latest(id)).join(",");
        const counts = members.map(({ recorder }) => recorder.count(room)).join(",");
        throw new Error(`${err.message}; viewers hold ${versions}; members hold ${counts}`);
      });

      // Acknowledged changes the store no longer holds.
      const lostScores = feed.lost();
      const texts = new Map(messages.map((message) => [message.seq, message.text]));
      const lostMessages = sender.acks.filter((ack) => texts.get(ack.position) !== ack.content);

      // Each kept ack held by every follower by 5 s after the later of its ack and the shard serving again.
      const late: string[] = [];
      const check = (acks: Acked[], lost: Acked[], followers: Follower[]) => {
        for (const ack of acks) {
          if (lost.includes(ack)) continue;
          const due = Math.max(ack.at, servingAt) + CONVERGE_MS;
          for (const follower of followers) {
            const reached = follower.reachedAt(ack.position);
            if (reached === undefined || reached > due) {
              late.push(
                `${follower.label}: position ${ack.position} acked ${ack.at - servingAt} ms after serving, ` +
                  (reached === undefined ? "never held" : `held ${reached - due} ms past due`),
              );
            }
          }
        }
      };
      check(
        feed.acks,
        lostScores,
        viewers.map((v) => v.follower),
      );
      check(
        sender.acks,
        lostMessages,
        members.map((m) => m.follower),
      );

      // Time to converge: until every follower held the first changes acknowledged after serving again.
      const firstScore = feed.acks.find((ack) => ack.at >= servingAt);
      const firstMessage = sender.acks.find((ack) => ack.at >= servingAt);
      const heldAt = [
        ...viewers.map(({ follower }) =>
          firstScore ? follower.reachedAt(firstScore.position) : undefined,
        ),
        ...members.map(({ follower }) =>
          firstMessage ? follower.reachedAt(firstMessage.position) : undefined,
        ),
      ];
      const convergedMs = heldAt.some((at) => at === undefined)
        ? Infinity
        : Math.max(...heldAt.map((at) => at! - servingAt));

      const viewerViolations = viewers.reduce((n, { recorder }) => n + recorder.violations(), 0);
      const audits = members.map(({ recorder }) => recorder.audit(room, head));
      const storedTexts = messages.map((message) => message.text);
      const postedTwice = storedTexts.length - new Set(storedTexts).size;
      const disconnects = [...viewers, ...members].flatMap(({ follower }) =>
        follower.disconnects.map((reason) => `${follower.label}: ${reason}`),
      );

      console.log(
        `      drill WAIT=${waitReplicas}: lost ${lostScores.length} acknowledged score updates, ` +
          `${lostMessages.length} messages; converged in ${convergedMs} ms`,
      );
      console.log(
        `        primary ${primary.address} killed, replica promoted within ${promotedWithinMs!} ms ` +
          `(serving ${servingAt! - killedAt!} ms after the kill); first acks after serving: ` +
          `score +${firstScore ? firstScore.at - servingAt! : "none"} ms, ` +
          `message +${firstMessage ? firstMessage.at - servingAt! : "none"} ms; ` +
          `acked at serving: version ${ackedAtServing!.version}, seq ${ackedAtServing!.seq}`,
      );
      console.log(
        `        ${updates} updates (${rate(updates)}/s; ${feed.tally.ok} acked, ${feed.tally.unavailable} unavailable, ` +
          `${feed.tally.conflicts} conflicts, ${feed.tally.appliedUnacknowledged} applied unacked), ` +
          `${sends} sends (${rate(sends)}/s; ${sender.tally.ok} acked, ${sender.tally.unavailable} unavailable); ` +
          `final version ${match.version}, head seq ${head}; all held the final state ${finalMs} ms ` +
          `after it was read; viewer repeats/out of order ${viewerViolations}; late deliveries ${late.length}`,
      );

      expect(disconnects, "Redis faults never disconnect clients").to.deep.equal([]);
      expect(
        instances.map((instance) => instance.running),
        "no instance exited",
      ).to.deep.equal([true, true, true]);
      expect(
        feed.tally.timeouts + sender.tally.timeouts,
        "every event answered within 5 s",
      ).to.equal(0);
      expect(viewerViolations, "viewers: versions repeated or out of order").to.equal(0);
      for (const [i, audit] of audits.entries()) {
        expect(audit, `member ${i}: seqs 1..${head} once and in order`).to.deep.equal({
          received: head,
          missing: 0,
          duplicates: 0,
          outOfOrder: 0,
        });
      }
      expect(postedTwice, "a send retried with its nonce posted twice").to.equal(0);
      expect(late.slice(0, 10), `${late.length} late or missing deliveries`).to.deep.equal([]);
      expect(convergedMs, "every follower held the first changes after the failover").to.be.below(
        CONVERGE_MS,
      );
      // The failover really interrupted the writes of the shard's match and room.
      expect(feed.tally.unavailable + feed.tally.timeouts).to.be.greaterThan(0);
      expect(sender.tally.unavailable + sender.tally.timeouts).to.be.greaterThan(0);
      if (waitReplicas > 0) {
        expect(
          lostScores.map((ack) => ack.position),
          "acknowledged versions lost",
        ).to.deep.equal([]);
        expect(
          lostMessages.map((ack) => ack.position),
          "acknowledged messages lost",
        ).to.deep.equal([]);
        expect(match.version).to.be.at.least(feed.latestAcked);
        expect(head).to.be.at.least(sender.latestAcked);
      }
    });
  });
}
