import { expect } from "chai";
import { call, chatter, closeAll, publisher } from "./support/clients.js";
import { put } from "./support/http.js";
import { Instance } from "./support/instances.js";
import { RedisServer } from "./support/redis-server.js";
import { eventually } from "./support/wait.js";

const teams = { home: { name: "A" }, away: { name: "B" } };
/** One guest across both tests, so that the retried nonce is the same sender's. */
const ana = { auth: { userId: "user-ana-01", name: "Ana" } };

/**
 * REDIS_WAIT_REPLICAS on one Redis: a change is acknowledged once a replica
 * holds it, and answered `unavailable` (503 over HTTP) when none does,
 * within the contract's 5 s.
 */
describe("REDIS_WAIT_REPLICAS=1", () => {
  let primary: RedisServer;
  let replica: RedisServer | undefined;
  let instance: Instance;

  before(async () => {
    primary = await RedisServer.start();
    instance = await Instance.start({
      redisUrl: primary.url,
      env: { REDIS_WAIT_REPLICAS: "1" },
    });
  });
  afterEach(closeAll);
  after(async () => {
    await instance.close();
    await replica?.stop();
    await primary.stop();
  });

  it("answers unavailable while no replica holds the change, within 5 s", async () => {
    const pub = await publisher(instance.url);
    const started = performance.now();
    const answer = await call(pub, "publish", { id: "w1", ...teams });
    expect(answer.ok).to.equal(false);
    expect(answer.error.code).to.equal("unavailable");
    expect(performance.now() - started).to.be.below(5000);
    expect((await put(instance.url, "w2", teams)).status).to.equal(503);
    const chat = await chatter(instance.url, ana);
    await call(chat, "join", { room: "w" });
    const sent = await call(chat, "send", { room: "w", text: "hi", nonce: "n1" });
    expect(sent.error?.code).to.equal("unavailable");
  });

  it("acknowledges changes once a replica holds them", async () => {
    replica = await RedisServer.start({ args: ["--replicaof", "127.0.0.1", String(primary.port)] });
    const client = await replica.client();
    await eventually("the replica is in sync", async () =>
      (await client.info("replication")).includes("master_link_status:up"),
    );
    const pub = await publisher(instance.url);
    const answer = await call(pub, "publish", { id: "w3", ...teams });
    expect(answer.ok, JSON.stringify(answer)).to.equal(true);
    expect(await client.hGet("test:matches:{m0}", "w3")).to.be.a("string");
    await client.close();
    // A retried send with the nonce of the refused one is now acknowledged, once.
    const chat = await chatter(instance.url, ana);
    await call(chat, "join", { room: "w" });
    const sent = await call(chat, "send", { room: "w", text: "hi", nonce: "n1" });
    expect(sent.ok, JSON.stringify(sent)).to.equal(true);
    expect(sent.message.seq).to.equal(1);
  });
});
