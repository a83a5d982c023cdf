import { expect } from "chai";
import type { Message } from "../../contract/index.js";
import { Chat } from "../../client/chat.js";
import { Connection } from "../../client/connection.js";
import { fetchMessages } from "../../client/http-api.js";
import { publish } from "../../client/publisher.js";
import { ScoresFeed } from "../../client/scores-feed.js";
import { SeqOrder } from "../../client/seq-order.js";
import { Instance, PUBLISH_TOKEN } from "../support/instances.js";
import { RedisServer } from "../support/redis-server.js";
import { eventually } from "../support/wait.js";
import { Balancer } from "./support/balancer.js";

let counter = 0;
/** An id no other test uses. */
const freshId = () => `l${Date.now().toString(36)}${counter++}`;
const message = (seq: number): Message => ({
  room: "r",
  seq,
  user: { id: "someone1", name: "someone" },
  text: `m${seq}`,
  ts: new Date().toISOString(),
});

describe("the client library, in Node", function () {
  this.timeout(30_000);

  describe("SeqOrder", () => {
    it("hands messages on once, in seq order, holding those past a gap", () => {
      const out: number[] = [];
      const order = new SeqOrder((m) => out.push(m.seq));
      order.push(message(5));
      expect(out, "nothing before the start is known").to.deep.equal([]);
      order.startAt(4);
      for (const seq of [4, 4, 7, 6, 3, 5, 8]) order.push(message(seq));
      expect(out).to.deep.equal([4, 5, 6, 7, 8]);
      expect(order.highest).to.equal(8);
    });

    it("skips a hole no longer retained, and never goes back", () => {
      const out: number[] = [];
      const order = new SeqOrder((m) => out.push(m.seq));
      order.startAt(1);
      order.push(message(1));
      order.push(message(9));
      order.startAt(8);
      order.startAt(2);
      order.push(message(8));
      expect(out).to.deep.equal([1, 8, 9]);
    });
  });

  describe("on a cluster of two instances", () => {
    let redis: RedisServer;
    let one: Instance;
    let two: Instance;
    const open: Connection[] = [];
    const connect = (url: string, options = {}) => {
      const connection = new Connection(url, { reconnectionDelay: 100, ...options });
      open.push(connection);
      return connection;
    };

    before(async () => {
      redis = await RedisServer.start();
      [one, two] = await Instance.cluster(redis.url, 2);
    });
    afterEach(() => open.splice(0).forEach((c) => c.close()));
    after(async () => {
      await Promise.all([one.close(), two.close()]);
      await redis.stop();
    });

    it("follows matches across the loss of its instance, only ever forward", async () => {
      const id = freshId();
      const publisher = connect(two.url, { token: PUBLISH_TOKEN });
      await publish(publisher, { id, home: { name: "Ajax" }, away: { name: "PSV" } });
      const balancer = await Balancer.start(one.url);
      try {
        const seen: number[] = [];
        const connection = connect(balancer.url);
        const feed = new ScoresFeed(connection);
        await feed.follow([id], (match) => seen.push(match.version));
        await eventually("the first version", () => seen.length === 1);

        balancer.target = undefined;
        balancer.cutAll();
        await eventually("offline", () => connection.status.state === "offline");
        for (let score = 1; score <= 3; score++) {
          await publish(publisher, { id, home: { score } });
        }
        balancer.target = new URL(two.url);
        await eventually("the resubscription", () => seen.length === 2);
        await publish(publisher, { id, home: { score: 4 } });
        await eventually("version 5", () => feed.latest(id)?.version === 5);
        expect(seen).to.deep.equal([1, 4, 5]);
      } finally {
        await balancer.close();
      }
    });

    it("renames without dropping the connection the namespaces share", async () => {
      const connection = connect(one.url);
      const room = new Chat(connection).join(`match:${freshId()}`, { onMessage: () => {} });
      connection.scores();
      await connection.ready();
      let drops = 0;
      connection.scores().on("disconnect", () => drops++);
      connection.rename("Ann");
      const sent = await room.send("hello");
      expect(sent.user.name).to.equal("Ann");
      expect(drops).to.equal(0);
    });

    it("retries a send that met unavailable with the same nonce: the room gets it once", async () => {
      const roomName = `match:${freshId()}`;
      const connection = connect(one.url);
      const received: number[] = [];
      const room = new Chat(connection).join(roomName, { onMessage: (m) => received.push(m.seq) });
      await connection.ready();
      await room.send("before");

      redis.pause();
      const sending = room.send("during a Redis stall");
      // Let the server answer `unavailable` at least once before Redis comes back.
      await eventually("an unavailable answer to send", async () => {
        const metrics = await (await fetch(`${one.url}/metrics`)).text();
        return /matchday_acks_total\{[^}]*event="send"[^}]*result="unavailable"[^}]*\} [1-9]/.test(
          metrics,
        );
      });
      redis.resume();
      const sent = await sending;

      const { messages } = await fetchMessages(two.url, roomName);
      expect(messages.map((m) => m.text)).to.deep.equal(["before", "during a Redis stall"]);
      expect(sent.seq).to.equal(2);
      await eventually("both messages delivered", () => received.length === 2);
      expect(received).to.deep.equal([1, 2]);
    });
  });
});
