import { expect } from "chai";
import { useCluster } from "../support/cluster.js";
import { CliProcess } from "./support/cli-process.js";
import { useInstance } from "./support/use-instance.js";

const ROOM = "match:cli";

describe("cli: chat", () => {
  const cluster = useCluster(2);
  afterEach(() => CliProcess.killAll());

  it("two people chat through stdin and stdout on two instances; EOF ends each", async () => {
    const [first, second] = cluster.instances.map((instance) => instance.url);
    const ana = CliProcess.start(["chat", ROOM, "--name", "ana", "--json", "--url", first]);
    const bob = CliProcess.start(["chat", ROOM, "--name", "bob", "--url", second]);

    ana.write("what a goal\n");
    await bob.line((line) => / ana: what a goal$/.test(line));
    bob.write("   \nunbelievable\n");
    const reply = await ana.record((r) => r.type === "message" && r.message.user.name === "bob");
    expect(reply.message).to.include({ room: ROOM, seq: 2, text: "unbelievable" });

    ana.end();
    bob.end();
    const [anaEnd, bobEnd] = await Promise.all([ana.exited(), bob.exited()]);
    expect(anaEnd.code, anaEnd.stderr.join("\n")).to.equal(0);
    expect(bobEnd.code, bobEnd.stderr.join("\n")).to.equal(0);
    const seqs = ana.records.filter((r) => r.type === "message").map((r) => r.message.seq);
    expect(seqs).to.deep.equal([1, 2]);
    // The blank line was not sent; each line shows once, in order.
    expect(bobEnd.stdout.filter((line) => / (ana|bob): /.test(line))).to.have.lengthOf(2);

    // Someone who joins later and writes nothing reads the history, then ends.
    const later = await CliProcess.run(["chat", ROOM, "--json", "--url", second]);
    expect(later.code).to.equal(0);
    const history = later.stdout
      .map((line) => JSON.parse(line))
      .filter((r) => r.type === "message");
    expect(history.map((r) => `${r.message.user.name}: ${r.message.text}`)).to.deep.equal([
      "ana: what a goal",
      "bob: unbelievable",
    ]);
  });

  describe("over the chat rate limit", () => {
    const strict = useInstance({ CHAT_MESSAGES_PER_SECOND: "1", CHAT_MESSAGE_BURST: "1" });

    it("reports each refused line, goes on, and ends with exit code 6", async () => {
      const chat = await CliProcess.run(["chat", ROOM, "--name", "eve"], strict.env, "one\ntwo\n");
      expect(chat.code).to.equal(6);
      expect(chat.stdout.filter((line) => line.includes(" eve: "))).to.have.lengthOf(1);
      expect(chat.stderr).to.have.lengthOf(2);
      expect(chat.stderr[0]).to.match(/^matchday: rate_limited: /);
      expect(chat.stderr[1]).to.match(/^matchday: rate_limited: 1 of 2 lines not sent/);
    });
  });
});
