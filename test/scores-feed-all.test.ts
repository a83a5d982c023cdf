import { expect } from "chai";
import { Connection } from "../client/connection.js";
import { publish } from "../client/publisher.js";
import { ScoresFeed } from "../client/scores-feed.js";
import type { MatchId } from "../contract/index.js";
import { STORE_DEADLINE_MS } from "../server/deadline.js";
import { Balancer } from "./browser/support/balancer.js";
import { Instance, PUBLISH_TOKEN } from "./support/instances.js";
import { RedisServer } from "./support/redis-server.js";
import { eventually } from "./support/wait.js";
import { setTimeout as sleep } from "node:timers/promises";

let counter = 0;
/** A match id no other test uses. */
const freshId = () => `f${Date.now().toString(36)}${counter++}`;
const teams = { home: { name: "Ajax" }, away: { name: "PSV" } };
/** The entries of `seen` ("id vN") of one match. */
const of = (seen: string[], id: MatchId) => seen.filter((entry) => entry.startsWith(`${id} `));

/**
 * `ScoresFeed.followAll` through a balancer to one instance of a cluster
 * (state in Redis), so that its connection can be cut or its instance
 * replaced while another instance takes the publishes.
 */
describe("ScoresFeed.followAll, in Node", function () {
  this.timeout(30_000);
  let redis: RedisServer;
  let served: Instance;
  let other: Instance;
  let balancer: Balancer;
  let publisher: Connection;
  const open: Connection[] = [];

  before(async () => {
    redis = await RedisServer.start();
    [served, other] = await Instance.cluster(redis.url, 2);
    balancer = await Balancer.start(served.url);
    publisher = new Connection(other.url, { token: PUBLISH_TOKEN });
  });
  afterEach(() => open.splice(0).forEach((c) => c.close()));
  after(async () => {
    publisher.close();
    await balancer.close();
    await Promise.all([served.close(), other.close()]);
    await redis.stop();
  });

  /**
   * A feed following every match through the balancer: what its listener
   * got ("id vN", in order) and the `versions` of each `subscribe_all` it sent.
   */
  async function followingAll() {
    const connection = new Connection(balancer.url, { reconnectionDelay: 100 });
    open.push(connection);
    const feed = new ScoresFeed(connection);
    const sent: Array<Record<MatchId, number>> = [];
    connection
      .scores()
      .onAnyOutgoing((event: string, payload: { versions?: Record<MatchId, number> }) => {
        if (event === "subscribe_all") sent.push(payload.versions ?? {});
      });
    const seen: string[] = [];
    await feed.followAll((match) => seen.push(`${match.id} v${match.version}`));
    return { connection, feed, seen, sent };
  }

  it("gets the matches there are, then every creation and update", async () => {
    const listed = freshId();
    await publish(publisher, { id: listed, ...teams });
    const { feed, seen } = await followingAll();
    await eventually("the answer", () => feed.latest(listed)?.version === 1);

    const created = freshId();
    await publish(publisher, { id: created, ...teams });
    await publish(publisher, { id: listed, minute: 1 });
    await publish(publisher, { id: created, home: { score: 1 } });
    await eventually("the last update", () => feed.latest(created)?.version === 2);
    expect(of(seen, listed)).to.deep.equal([`${listed} v1`, `${listed} v2`]);
    expect(of(seen, created)).to.deep.equal([`${created} v1`, `${created} v2`]);
  });

  it("retries a first subscription refused while Redis is away, without a reconnect", async () => {
    const listed = freshId();
    await publish(publisher, { id: listed, ...teams });
    const connection = new Connection(balancer.url);
    open.push(connection);
    const feed = new ScoresFeed(connection);
    const socket = connection.scores();
    await eventually("connected", () => socket.connected);
    const session = socket.id;
    let asked = 0;
    socket.onAnyOutgoing((event: string) => {
      if (event === "subscribe_all") asked++;
    });

    redis.pause();
    // Past the server's storage deadline, so the first answer is `unavailable`.
    const resumed = sleep(STORE_DEADLINE_MS + 500).then(() => redis.resume());
    try {
      await feed.followAll(() => {});
    } finally {
      await resumed;
    }
    expect(asked, "subscribe_all sent again").to.be.greaterThan(1);
    expect(socket.id, "the same session").to.equal(session);
    expect(feed.latest(listed)?.version).to.equal(1);
  });

  /**
   * Follows two matches, loses the connection with `interrupt`, changes one
   * and creates another meanwhile, comes back with `restore`: the feed asks
   * with the versions it held and delivers each change once, only forward.
   */
  async function ridesOut(interrupt: () => Promise<void>, restore: () => Promise<void>) {
    const [kept, changed] = [freshId(), freshId()];
    await publish(publisher, { id: kept, ...teams });
    await publish(publisher, { id: changed, ...teams });
    const { connection, feed, seen, sent } = await followingAll();
    await eventually("the answer", () => feed.latest(kept) !== undefined);
    await publish(publisher, { id: changed, minute: 1 });
    await eventually("a live update", () => feed.latest(changed)?.version === 2);

    await interrupt();
    await eventually("disconnected", () => connection.status.state !== "live");
    const born = freshId();
    await publish(publisher, { id: changed, minute: 2 });
    await publish(publisher, { id: changed, minute: 3 });
    await publish(publisher, { id: born, ...teams });
    await restore();
    await eventually("what changed meanwhile", () => feed.latest(born) !== undefined);
    await publish(publisher, { id: changed, minute: 4 });
    await eventually("live again", () => feed.latest(changed)?.version === 5);

    expect(sent.at(-1), "the versions it held").to.include({ [kept]: 1, [changed]: 2 });
    expect(of(seen, kept), "not sent again").to.deep.equal([`${kept} v1`]);
    // Version 3 was superseded before the feed came back.
    expect(of(seen, changed)).to.deep.equal([1, 2, 4, 5].map((v) => `${changed} v${v}`));
    expect(of(seen, born)).to.deep.equal([`${born} v1`]);
  }

  it("after a dropped connection, delivers what changed meanwhile once, in order", async () => {
    await ridesOut(
      async () => {
        balancer.target = undefined;
        balancer.cutAll();
      },
      async () => {
        balancer.target = new URL(served.url);
      },
    );
  });

  it("after a server restart, delivers what changed meanwhile once, in order", async () => {
    await ridesOut(
      async () => {
        balancer.target = undefined;
        await served.app.drain(0);
      },
      async () => {
        served = await Instance.start({ redisUrl: redis.url });
        balancer.target = new URL(served.url);
      },
    );
  });
});
