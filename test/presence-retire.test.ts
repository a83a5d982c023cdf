import { expect } from "chai";
import { call, chatter, closeAll } from "./support/clients.js";
import { Instance } from "./support/instances.js";
import { RedisServer } from "./support/redis-server.js";
import { eventually } from "./support/wait.js";

let counter = 0;
const freshRoom = () => `p${Date.now().toString(36)}${counter++}`;

describe("presence counts on Redis", () => {
  let redis: RedisServer;
  before(async () => {
    redis = await RedisServer.start();
  });
  after(() => redis.stop());
  afterEach(closeAll);

  it("leaves no count of a retired instance, nor its alive key", async () => {
    const [a, b] = await Instance.cluster(redis.url, 2);
    const room = freshRoom();
    const member = await chatter(b.url);
    await call(member, "join", { room });
    const client = await redis.client();
    try {
      const key = `test:presence:{${room}}`;
      await eventually(
        "b's count is stored",
        async () => Object.keys(await client.hGetAll(key)).length === 1,
      );
      const [id] = Object.keys(await client.hGetAll(key));
      const alive = `test:presence-alive:{${id}}`;
      // Rather than wait for the first beat.
      await b.backend.presence.heartbeat();
      expect(await client.exists(alive)).to.equal(1);
      await b.close();
      expect(await client.hGetAll(key)).to.deep.equal({});
      expect(await client.exists(alive)).to.equal(0);
    } finally {
      await client.quit();
      await a.close();
    }
  });
});
