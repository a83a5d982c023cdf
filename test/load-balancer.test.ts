import type { AddressInfo } from "node:net";
import { expect } from "chai";
import type { Match } from "../contract/index.js";
import { chatter, closeAll, publisher, viewer, type ConnectOptions } from "./support/clients.js";
import { useCluster } from "./support/cluster.js";
import { Haproxy } from "../scripts/haproxy.js";
import { MatchRecorder, MessageRecorder } from "./support/recorder.js";
import { eventually } from "./support/wait.js";

const kinds: Record<string, ConnectOptions> = {
  "polling-only": { transports: ["polling"] },
  "websocket-only": { transports: ["websocket"] },
  default: { transports: ["polling", "websocket"] },
};

describe("three instances behind HAProxy (deploy/haproxy.cfg)", function () {
  this.timeout(60_000);
  const cluster = useCluster(3);
  let proxy: Haproxy;
  before(async () => {
    const ports = cluster.instances.map((i) => (i.app.server.address() as AddressInfo).port);
    proxy = await Haproxy.start(ports);
  });
  after(() => proxy.stop());
  afterEach(closeAll);

  it("serves polling-only, WebSocket-only and default clients, spread over every instance", async () => {
    const id = `lb-${Date.now()}`;
    const room = `match:${id}`;
    const scores: MatchRecorder[] = [];
    const chats: MessageRecorder[] = [];
    const chatters = [];
    for (const [kind, options] of Object.entries(kinds)) {
      for (let i = 0; i < 3; i++) {
        const recorder = new MatchRecorder();
        const sub = await viewer(proxy.url, options);
        sub.on("match", recorder.record);
        const answer = await sub.timeout(5000).emitWithAck("subscribe", { ids: [id] });
        expect(answer.ok, kind).to.equal(true);
        scores.push(recorder);

        const messages = new MessageRecorder();
        const member = await chatter(proxy.url, { ...options, auth: { name: `${kind}-${i}` } });
        member.on("message", messages.record);
        const joined = await member.timeout(5000).emitWithAck("join", { room });
        expect(joined.ok, kind).to.equal(true);
        chats.push(messages);
        chatters.push(member);
      }
    }
    const spread = cluster.instances.map((instance) => instance.app.io.engine.clientsCount);
    expect(
      spread.every((count) => count > 0),
      `connections per instance: ${spread}`,
    ).to.equal(true);

    const pub = await publisher(proxy.url, kinds["polling-only"]);
    let last: Match | undefined;
    for (let minute = 1; minute <= 5; minute++) {
      const answer = await pub
        .timeout(5000)
        .emitWithAck("publish", { id, home: { name: "A" }, away: { name: "B" }, minute });
      if (answer.ok) last = answer.match;
    }
    for (const [i, member] of chatters.entries()) {
      const sent = await member.timeout(5000).emitWithAck("send", { room, text: `hello ${i}` });
      expect(sent.ok).to.equal(true);
    }
    await eventually("every subscriber holds the last version", () =>
      scores.every((recorder) => recorder.latest(id) === last?.version),
    );
    await eventually("every member has every message", () =>
      chats.every((recorder) => recorder.count(room) === chatters.length),
    );
    for (const recorder of scores) expect(recorder.versions.get(id)).to.deep.equal([1, 2, 3, 4, 5]);
    for (const recorder of chats) {
      expect(recorder.audit(room, chatters.length)).to.include({
        missing: 0,
        duplicates: 0,
        outOfOrder: 0,
      });
    }
  });

  it("keeps each polling session on one instance through the sticky cookie", async () => {
    const sockets = await Promise.all(
      Array.from({ length: 6 }, () => viewer(proxy.url, kinds["polling-only"])),
    );
    // Each ack is another HTTP request; one that reached another instance
    // would fail with "Session ID unknown" and disconnect the socket.
    for (let round = 0; round < 5; round++) {
      for (const socket of sockets) {
        const answer = await socket.timeout(5000).emitWithAck("subscribe", { ids: [`s${round}`] });
        expect(answer.ok).to.equal(true);
      }
    }
    for (const socket of sockets) {
      expect(socket.connected).to.equal(true);
      expect(socket.io.engine.transport.name).to.equal("polling");
    }
  });
});
