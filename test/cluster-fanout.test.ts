import { expect } from "chai";
import { closeAll, publisher, viewer } from "./support/clients.js";
import { metric } from "./support/http.js";
import { Instance } from "./support/instances.js";
import { MatchRecorder } from "./support/recorder.js";
import { RedisCluster } from "./support/redis-cluster.js";
import { RedisServer } from "./support/redis-server.js";
import { sleep } from "./support/stream.js";
import { eventually } from "./support/wait.js";

const INSTANCES = 4;
const MATCHES = 200;
const PER_INSTANCE = MATCHES / INSTANCES;
/** Slack over the interest of an instance: its followed matches' publishes, plus 10 %. */
const SLACK = 1.1;
const teams = { home: { name: "Home" }, away: { name: "Away" } };

interface Backend {
  title: string;
  start(): Promise<{ env: Record<string, string>; stop(): Promise<void> }>;
  /** What instance `i` must have received from Redis, given how many of the publishes it follows. */
  check(i: number, received: number): void;
}

const backends: Backend[] = [
  {
    title: "Redis Cluster (sharded pub/sub)",
    async start() {
      const cluster = await RedisCluster.start();
      return { env: { REDIS_CLUSTER_NODES: cluster.seeds }, stop: () => cluster.stop() };
    },
    check(i, received) {
      // Each instance follows 50 matches: it receives their items, not the other 150.
      expect(received, `instance ${i} received at most ${SLACK} × ${PER_INSTANCE}`).to.be.at.most(
        SLACK * PER_INSTANCE,
      );
      // The others' viewers got their matches from instance 0 through Redis;
      // instance 0 hears its own publishes on the channels it follows, and drops them.
      if (i > 0) expect(received, `instance ${i}`).to.be.at.least(PER_INSTANCE);
      else expect(received, "instance 0, the publisher's").to.equal(0);
    },
  },
  {
    title: "one Redis (classic Socket.IO adapter)",
    async start() {
      const redis = await RedisServer.start();
      return { env: { REDIS_URL: redis.url }, stop: () => redis.stop() };
    },
    check(i, received) {
      // Every instance receives every item but its own publishes, followed or not.
      expect(received, `instance ${i}`).to.equal(i === 0 ? 0 : MATCHES);
    },
  },
];

for (const backend of backends) {
  describe(`fan-out on ${backend.title}: ${INSTANCES} instances, ${MATCHES} matches, each instance's viewers follow ${PER_INSTANCE}`, function () {
    this.timeout(60_000);
    let storage: { stop(): Promise<void> } | undefined;
    const instances: Instance[] = [];

    before(async () => {
      const started = await backend.start();
      storage = started;
      for (let i = 0; i < INSTANCES; i++)
        instances.push(await Instance.start({ env: started.env }));
    });
    after(async () => {
      closeAll();
      await Promise.all(instances.map((instance) => instance.close()));
      await storage?.stop();
    });

    it("receives from Redis the items its viewers follow (sharded) or all of them (classic)", async () => {
      const stem = `fan${Date.now().toString(36)}`;
      const ids = Array.from({ length: MATCHES }, (_, n) => `${stem}-${n}`);
      const followed = (i: number) => ids.slice(i * PER_INSTANCE, (i + 1) * PER_INSTANCE);

      const recorders: MatchRecorder[] = [];
      for (const [i, instance] of instances.entries()) {
        const recorder = new MatchRecorder();
        const socket = await viewer(instance.url);
        socket.on("match", recorder.record);
        const answer = await socket.timeout(5000).emitWithAck("subscribe", { ids: followed(i) });
        if (!answer.ok) throw new Error(`subscribe: ${answer.error.message}`);
        expect(answer.matches).to.deep.equal([]);
        recorders.push(recorder);
      }

      const counter = (instance: Instance) =>
        metric(instance.url, "matchday_fanout_received_total", {
          namespace: "/scores",
          event: "match",
        });
      const before = await Promise.all(instances.map(counter));

      const pub = await publisher(instances[0].url);
      for (const id of ids) {
        const answer = await pub.timeout(5000).emitWithAck("publish", { id, ...teams });
        if (!answer.ok) throw new Error(`publish ${id}: ${answer.error.message}`);
      }
      await eventually("every viewer holds version 1 of each of its 50 matches", () =>
        recorders.every((recorder, i) => followed(i).every((id) => recorder.latest(id) === 1)),
      );
      // Late items would still count: give them time to arrive.
      await sleep(500);
      const after = await Promise.all(instances.map(counter));
      const received = after.map((count, i) => count - before[i]);

      console.log(
        `      fan-out on ${backend.title}: received from Redis per instance ${received.join(" / ")} ` +
          `(publishes: ${MATCHES}, all on instance 0; followed per instance: ${PER_INSTANCE})`,
      );
      for (const [i, recorder] of recorders.entries()) {
        expect([...recorder.versions.keys()].sort(), `viewer on instance ${i}`).to.deep.equal(
          followed(i).sort(),
        );
        expect(recorder.violations()).to.equal(0);
      }
      received.forEach((count, i) => backend.check(i, count));
    });
  });
}
