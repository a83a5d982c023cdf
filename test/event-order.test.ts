import { expect } from "chai";
import type { Match, Message, Presence } from "../contract/index.js";
import { call, chatter, closeAll, publisher, viewer } from "./support/clients.js";
import { Instance } from "./support/instances.js";
import { RedisServer } from "./support/redis-server.js";
import { waitFor } from "./support/wait.js";

let counter = 0;
const fresh = (prefix: string) => `${prefix}${Date.now().toString(36)}${counter++}`;
const teams = { home: { name: "Ajax" }, away: { name: "PSV" } };

/** Where the sockets under test sit, and where the traffic they must (not) get comes from. */
const topologies = [
  { title: "memory, one instance", redis: false, instances: 1 },
  { title: "Redis, one instance", redis: true, instances: 1 },
  { title: "Redis, two instances", redis: true, instances: 2 },
] as const;

for (const topology of topologies) {
  describe(`event order (${topology.title})`, () => {
    let redis: RedisServer | undefined;
    let instances: Instance[] = [];
    /** Where the sockets under test connect. */
    const near = () => instances[0].url;
    /** Where the publisher and the sender connect: the other instance when there are two. */
    const far = () => instances.at(-1)!.url;

    before(async () => {
      if (topology.redis) {
        redis = await RedisServer.start();
        instances = await Instance.cluster(redis.url, topology.instances);
      } else {
        instances = [await Instance.start()];
      }
    });
    after(async () => {
      await Promise.all(instances.map((instance) => instance.close()));
      await redis?.stop();
    });
    afterEach(closeAll);

    /**
     * Publishes a change of `id` and resolves once `witness`, subscribed on
     * the near instance, has it: the room's other local members got it in
     * the same emit, or never will.
     */
    async function publishAndWitness(id: string): Promise<void> {
      const witness = await viewer(near());
      await call(witness, "subscribe", { ids: [id] });
      const seen = waitFor<Match>(witness, "match");
      const pub = await publisher(far());
      const answer = await call(pub, "publish", { id, ...teams, status: "live" });
      expect(answer.ok, JSON.stringify(answer)).to.equal(true);
      await seen;
    }

    it("leaves a socket unsubscribed after 20 back-to-back subscribe + unsubscribe pairs", async () => {
      const id = fresh("m");
      const sockets = await Promise.all(Array.from({ length: 20 }, () => viewer(near())));
      const received = new Set<string>();
      await Promise.all(
        sockets.map((socket) => {
          socket.on("match", () => received.add(socket.id!));
          const subscribed = call(socket, "subscribe", { ids: [id] });
          const unsubscribed = call(socket, "unsubscribe", { ids: [id] });
          return Promise.all([subscribed, unsubscribed]);
        }),
      );
      await publishAndWitness(id);
      // One ack back on each socket: a `match` sent before it has arrived by then.
      await Promise.all(sockets.map((socket) => call(socket, "unsubscribe", { ids: ["other"] })));
      expect([...received], "sockets still subscribed").to.deep.equal([]);
    });

    it("leaves a socket subscribed after 20 back-to-back unsubscribe + subscribe pairs", async () => {
      const id = fresh("m");
      const sockets = await Promise.all(Array.from({ length: 20 }, () => viewer(near())));
      const events = sockets.map((socket) => waitFor<Match>(socket, "match"));
      await Promise.all(
        sockets.map((socket) =>
          Promise.all([
            call(socket, "unsubscribe", { ids: [id] }),
            call(socket, "subscribe", { ids: [id] }),
          ]),
        ),
      );
      await publishAndWitness(id);
      const matches = await Promise.all(events);
      expect(matches.map((m) => m.id)).to.deep.equal(sockets.map(() => id));
    });

    it("leaves a socket outside the room after 15 back-to-back join + leave pairs", async () => {
      const room = fresh("r");
      const sockets = await Promise.all(Array.from({ length: 15 }, () => chatter(near())));
      const received = new Set<string>();
      await Promise.all(
        sockets.map((socket) => {
          socket.on("message", () => received.add(socket.id!));
          return Promise.all([call(socket, "join", { room }), call(socket, "leave", { room })]);
        }),
      );
      // The only real member, on the near instance, is counted alone.
      const witness = await chatter(near());
      const joined = await call(witness, "join", { room });
      if (joined.online !== 1) {
        await waitFor<Presence>(witness, "presence", 5000, (p) => p.online === 1);
      }
      const seen = waitFor<Message>(witness, "message");
      const sender = await chatter(far());
      await call(sender, "join", { room });
      const sent = await call(sender, "send", { room, text: "still here?" });
      expect(sent.ok, JSON.stringify(sent)).to.equal(true);
      await seen;
      // One ack back on each socket: a `message` sent before it has arrived by then.
      await Promise.all(sockets.map((socket) => call(socket, "leave", { room: "other" })));
      expect([...received], "sockets still in the room").to.deep.equal([]);
    });

    it("numbers 10 back-to-back sends and 10 back-to-back publishes in send order", async () => {
      const room = fresh("r");
      const sender = await chatter(near());
      await call(sender, "join", { room });
      const sends = await Promise.all(
        Array.from({ length: 10 }, (_, i) => call(sender, "send", { room, text: `#${i}` })),
      );
      expect(sends.map((answer) => answer.message.seq)).to.deep.equal([
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
      ]);
      expect(sends.map((answer) => answer.message.text)).to.deep.equal(
        Array.from({ length: 10 }, (_, i) => `#${i}`),
      );

      const id = fresh("m");
      const pub = await publisher(near());
      const publishes = await Promise.all(
        Array.from({ length: 10 }, (_, minute) =>
          call(pub, "publish", { id, ...teams, status: "live", minute }),
        ),
      );
      expect(publishes.map((answer) => [answer.match.version, answer.match.minute])).to.deep.equal(
        Array.from({ length: 10 }, (_, minute) => [minute + 1, minute]),
      );
    });

    it("runs a publisher's publishes to different matches side by side, each in its own order", async () => {
      const ids = [fresh("m"), fresh("m")];
      const pub = await publisher(near());
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          call(pub, "publish", { id: ids[i % 2], ...teams, status: "live", minute: i }),
        ),
      );
      for (const [k, id] of ids.entries()) {
        const own = answers.filter((answer) => answer.match.id === id);
        expect(own.map((answer) => answer.match.version)).to.deep.equal([1, 2, 3, 4, 5]);
        expect(own.map((answer) => answer.match.minute)).to.deep.equal(
          [0, 2, 4, 6, 8].map((m) => m + k),
        );
      }
    });

    describe("resubscription", () => {
      it("acks only versions not yet sent on a repeated subscribe, and afresh after unsubscribe", async () => {
        const id = fresh("m");
        const pub = await publisher(far());
        await call(pub, "publish", { id, ...teams });
        const socket = await viewer(near());
        const first = await call(socket, "subscribe", { ids: [id] });
        expect(first.matches.map((m: Match) => m.version)).to.deep.equal([1]);
        expect((await call(socket, "subscribe", { ids: [id] })).matches).to.deep.equal([]);
        const update = waitFor<Match>(socket, "match");
        await call(pub, "publish", { id, status: "live" });
        expect((await update).version).to.equal(2);
        expect((await call(socket, "subscribe", { ids: [id] })).matches).to.deep.equal([]);
        await call(socket, "unsubscribe", { ids: [id] });
        const again = await call(socket, "subscribe", { ids: [id] });
        expect(again.matches.map((m: Match) => m.version)).to.deep.equal([2]);
      });

      it("answers a repeated join with nothing already sent, and afresh after leave", async () => {
        const room = fresh("r");
        const socket = await chatter(near());
        await call(socket, "join", { room });
        await call(socket, "send", { room, text: "one" });
        const second = await call(socket, "join", { room });
        expect(second.history).to.deep.equal([]);
        await call(socket, "leave", { room });
        const again = await call(socket, "join", { room });
        expect(again.history.map((m: Message) => m.text)).to.deep.equal(["one"]);
      });
    });
  });
}
