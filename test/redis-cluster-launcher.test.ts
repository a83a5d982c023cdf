import { expect } from "chai";
import { createCluster } from "redis";
import { RedisCluster } from "./support/redis-cluster.js";

describe("RedisCluster, the launcher of a Redis Cluster of our own", function () {
  this.timeout(30_000);
  let cluster: RedisCluster;
  const clients: ReturnType<typeof createCluster>[] = [];

  before(async () => {
    cluster = await RedisCluster.start({ persistent: true });
  });
  after(async () => {
    for (const client of clients.splice(0)) client.destroy();
    await cluster?.stop();
  });

  async function connect() {
    const client = createCluster({ rootNodes: cluster.nodes.map((url) => ({ url })) });
    client.on("error", () => {});
    clients.push(client);
    await client.connect();
    return client;
  }

  it("spreads keys over three primaries, each with a replica of its own", async () => {
    expect(cluster.nodes).to.have.length(6);
    expect(cluster.seeds).to.equal(cluster.nodes.join(","));
    const client = await connect();
    const keys = Array.from({ length: 30 }, (_, i) => `key:${i}`);
    for (const key of keys) await client.set(key, key);
    const primaries = await Promise.all(keys.map((key) => cluster.primaryOf(key)));
    expect(new Set(primaries).size).to.equal(3);
    expect(await cluster.keySlot("{match:1}:score")).to.equal(await cluster.keySlot("match:1"));
    const replicas = await cluster.replicasOf(keys[0]);
    expect(replicas).to.have.length(1);
    expect(replicas[0]).not.to.equal(primaries[0]);
  });

  it("promotes the replica of a killed primary, which holds what it acknowledged", async () => {
    const client = await connect();
    await client.set("match:1", "2-1");
    expect(await client.sendCommand("match:1", false, ["WAIT", "1", "5000"])).to.equal(1);
    const primary = await cluster.primaryOf("match:1");
    const [replica] = await cluster.replicasOf("match:1");

    const { killed, promotedWithinMs } = await cluster.killPrimaryOf("match:1");
    expect(killed).to.equal(primary);
    expect(await cluster.primaryOf("match:1")).to.equal(replica);
    console.log(`      promoted within ${promotedWithinMs} ms`);
    // node-redis 5.12 refreshes its slot map on MOVED/ASK only: the client
    // connected before the kill keeps waiting for the dead primary.
    const fresh = await connect();
    expect(await fresh.get("match:1")).to.equal("2-1");

    await cluster.restart(killed);
    expect(await cluster.replicasOf("match:1")).to.deep.equal([killed]);
    await cluster.flushAll();
    expect(await fresh.get("match:1")).to.equal(null);
  });
});
