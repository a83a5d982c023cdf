import { expect } from "chai";
import type { Deleted } from "../contract/index.js";
import { call, chatter, closeAll } from "./support/clients.js";
import { useCluster } from "./support/cluster.js";
import { repairs } from "./support/faults.js";
import { jwtEnv, MODERATOR_TOKEN } from "./support/jwt.js";
import { sleep } from "./support/stream.js";
import { eventually } from "./support/wait.js";

/** The contract: a lost `deleted` reaches connected members within 5 s of Redis healing. */
const REPAIR_MS = 5000;

describe("/chat deletions through a Redis restart (2 instances, append-only file)", function () {
  this.timeout(30_000);
  const cluster = useCluster(2, { persistent: true, env: jwtEnv });
  afterEach(closeAll);

  it("brings a deletion made as Redis comes back to every member that stayed connected", async () => {
    const room = "mod:restart";
    const members = await Promise.all(
      [0, 0, 1, 1].map(async (i) => {
        const socket = await chatter(cluster.instances[i].url);
        const deleted: Deleted[] = [];
        socket.on("deleted", (d) => deleted.push(d));
        expect((await call(socket, "join", { room })).ok).to.equal(true);
        return { socket, deleted };
      }),
    );
    const moderator = await chatter(cluster.instances[0].url, {
      auth: { token: MODERATOR_TOKEN },
    });
    expect((await call(moderator, "join", { room })).ok).to.equal(true);
    for (const text of ["one", "two"]) {
      expect((await call(members[0].socket, "send", { room, text })).ok).to.equal(true);
    }

    await cluster.redis.kill();
    const restarted = (async () => {
      await sleep(1000);
      await cluster.redis.restart();
    })();
    // Retried as a moderator would: it lands as soon as Redis answers again,
    // usually before the instances have subscribed anew, so its broadcast is lost.
    let answer = await call(moderator, "delete", { room, seq: 2 });
    while (!answer.ok && answer.error?.code === "unavailable") {
      await sleep(100);
      answer = await call(moderator, "delete", { room, seq: 2 });
    }
    const storedAt = Date.now();
    expect(answer).to.deep.equal({ ok: true });
    await restarted;

    const took = await eventually(
      "every member got the deletion",
      () => members.every((m) => m.deleted.length === 1),
      REPAIR_MS + 1000,
    );
    expect(Date.now() - storedAt, "ms from the stored deletion").to.be.below(REPAIR_MS);
    for (const m of members) {
      expect(m.deleted).to.deep.equal([{ room, seq: 2 }]);
      expect(m.socket.connected).to.equal(true);
    }
    console.log(`      every member had the deletion ${took} ms after it was stored`);
  });

  it("repairs a deletion whose broadcast never arrived anywhere, from the stored deletion log", async () => {
    const room = "mod:pubsub";
    const far = await chatter(cluster.instances[1].url);
    const deleted: Deleted[] = [];
    far.on("deleted", (d) => deleted.push(d));
    expect((await call(far, "join", { room })).ok).to.equal(true);
    const moderator = await chatter(cluster.instances[0].url, {
      auth: { token: MODERATOR_TOKEN },
    });
    expect((await call(moderator, "join", { room })).ok).to.equal(true);
    expect((await call(moderator, "send", { room, text: "gone soon" })).ok).to.equal(true);
    const repairedBefore = await repairs(cluster.instances);
    // Stored behind the relays' backs: exactly what a broadcast lost on every path leaves.
    const stored = await cluster.instances[0].backend.messages.delete(room, 1);
    expect(stored.kind).to.equal("deleted");
    await eventually("the far member got the deletion", () => deleted.length === 1, REPAIR_MS);
    expect(deleted).to.deep.equal([{ room, seq: 1 }]);
    expect(await repairs(cluster.instances)).to.be.above(repairedBefore);
  });
});
