import { expect } from "chai";
import { DEFAULT_LIMITS } from "../../contract/index.js";
import { call, chatter, closeAll, type ChatSocket } from "../support/clients.js";
import { useCluster } from "../support/cluster.js";
import { eventually } from "../support/wait.js";
import { allowance } from "./support/allowance.js";

describe("hostile: chat messages per user, across instances", () => {
  const cluster = useCluster(2);
  const room = "rate";

  afterEach(closeAll);

  /** One socket on each instance, all with the same userId, members of `room`. */
  async function sameUserOnEveryInstance(userId: string): Promise<ChatSocket[]> {
    const sockets = await Promise.all(
      cluster.instances.map((instance) => chatter(instance.url, { auth: { userId } })),
    );
    for (const socket of sockets) expect((await call(socket, "join", { room })).ok).to.equal(true);
    return sockets;
  }

  it("holds one userId to its burst on all instances together; nonce retries are free", async () => {
    const { chatMessageBurst: burst, chatMessagesPerSecond: rate } = DEFAULT_LIMITS;
    const [a, b] = await sameUserOnEveryInstance("rate-burst-user");
    const started = Date.now();
    const first = await call(a, "send", { room, text: "first", nonce: "n1" });
    expect(first.ok).to.equal(true);
    for (let i = 0; i < burst * 1.5; i++) {
      const retry = await call(i % 2 ? a : b, "send", { room, text: "first", nonce: "n1" });
      expect(retry.message?.seq, `retry ${i}`).to.equal(first.message.seq);
    }
    let accepted = 1;
    let refused: any;
    for (let i = 0; refused === undefined && i < 100; i++) {
      const answer = await call(i % 2 ? a : b, "send", { room, text: `m${i}` });
      if (answer.ok) accepted++;
      else refused = answer;
    }
    expect(refused?.error.code).to.equal("rate_limited");
    expect(accepted).to.be.within(burst, allowance(burst, rate, Date.now() - started));
  });

  it("does not count refused sends: the next token comes at the rate however many were refused", async () => {
    const { chatMessageBurst: burst, chatMessagesPerSecond: rate } = DEFAULT_LIMITS;
    const [a, b] = await sameUserOnEveryInstance("rate-refused-user");
    let refusals = 0;
    for (let i = 0; refusals === 0; i++) {
      expect(i, "sends before the first refusal").to.be.below(burst * 2);
      if (!(await call(i % 2 ? a : b, "send", { room, text: `m${i}` })).ok) refusals++;
    }
    const emptied = Date.now();
    // Tries every 50 ms, each refused until a token is back; were refusals
    // counted, the tries themselves would keep the bucket empty.
    await eventually(
      "a send is accepted again",
      async () => (await call(refusals++ % 2 ? a : b, "send", { room, text: "again" })).ok,
      5000,
      50,
    );
    expect(refusals).to.be.above(2);
    expect(Date.now() - emptied).to.be.below(5000 / rate);
  });
});
