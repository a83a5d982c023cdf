import { expect } from "chai";
import type { Message, Presence } from "../contract/index.js";
import { chatter, closeAll, type ChatSocket } from "./support/clients.js";
import { useCluster } from "./support/cluster.js";
import { startProcessInstance } from "./support/process-instance.js";
import { MessageRecorder } from "./support/recorder.js";
import { eventually, waitFor } from "./support/wait.js";

let counter = 0;
const freshRoom = () => `match:${Date.now().toString(36)}${counter++}`;

/** Generous limits: these tests are about ordering, not about flood control. */
const env = {
  CHAT_MESSAGES_PER_SECOND: "1000",
  CHAT_MESSAGE_BURST: "1000",
  SOCKET_EVENT_BURST: "1000",
};

async function join(url: string, room: string, recorder?: MessageRecorder, since?: number) {
  const socket = await chatter(url);
  if (recorder) socket.on("message", recorder.record);
  const answer = await socket
    .timeout(5000)
    .emitWithAck("join", since === undefined ? { room } : { room, since });
  if (!answer.ok) throw new Error(answer.error.message);
  recorder?.record(...answer.history);
  return { socket, answer };
}

const send = (socket: ChatSocket, room: string, text: string) =>
  socket.timeout(5000).emitWithAck("send", { room, text });

describe("/chat across instances on one Redis", function () {
  this.timeout(60_000);
  const cluster = useCluster(3, { env });
  const urls = () => cluster.instances.map((instance) => instance.url);
  afterEach(closeAll);

  it("gives 2 × 200 concurrent sends from two instances seqs 1..400, once and in order, to every member", async () => {
    const room = freshRoom();
    const recorders = [0, 1, 2, 0, 1, 2].map(() => new MessageRecorder());
    await Promise.all(recorders.map((recorder, i) => join(urls()[i % 3], room, recorder)));
    const [a, b] = await Promise.all([join(urls()[0], room), join(urls()[1], room)]);
    const burst = async (socket: ChatSocket, tag: string) => {
      for (let i = 0; i < 200; i++) {
        const answer = await send(socket, room, `${tag}${i}`);
        if (!answer.ok) throw new Error(answer.error.message);
      }
    };
    await Promise.all([burst(a.socket, "a"), burst(b.socket, "b")]);
    await eventually("every member has 400 messages", () =>
      recorders.every((r) => r.count(room) >= 400),
    );
    for (const recorder of recorders) {
      expect(recorder.audit(room, 400)).to.deep.equal({
        received: 400,
        missing: 0,
        duplicates: 0,
        outOfOrder: 0,
      });
    }
  });

  it("replays exactly the missed messages to a member that comes back on another instance", async () => {
    const room = freshRoom();
    const writer = await join(urls()[0], room);
    const reader = new MessageRecorder();
    const first = await join(urls()[1], room, reader);
    for (let i = 1; i <= 5; i++) await send(writer.socket, room, `before ${i}`);
    await eventually("the reader has 5", () => reader.count(room) === 5);
    first.socket.disconnect();
    for (let i = 1; i <= 7; i++) await send(writer.socket, room, `while away ${i}`);
    const back = await join(urls()[2], room, reader, 5);
    expect(back.answer.ok && back.answer.history.map((m: Message) => m.text)).to.deep.equal(
      Array.from({ length: 7 }, (_, i) => `while away ${i + 1}`),
    );
    await send(writer.socket, room, "after");
    await eventually("the reader has 13", () => reader.count(room) === 13);
    expect(reader.audit(room, 13)).to.deep.equal({
      received: 13,
      missing: 0,
      duplicates: 0,
      outOfOrder: 0,
    });
  });

  it("counts members across instances", async () => {
    const room = freshRoom();
    const a = await join(urls()[0], room);
    expect(a.answer.ok && a.answer.online).to.equal(1);
    const three = waitFor<Presence>(a.socket, "presence", 5000, (p) => p.online === 3);
    const b = await join(urls()[1], room);
    const c = await join(urls()[2], room);
    expect(c.answer.ok && c.answer.online).to.equal(3);
    await three;
    const two = waitFor<Presence>(a.socket, "presence", 5000, (p) => p.online === 2);
    b.socket.disconnect();
    await two;
  });

  it("drops the members of a SIGKILLed instance from the count within 30 s", async function () {
    this.timeout(45_000);
    const room = freshRoom();
    const doomed = await startProcessInstance({ REDIS_URL: cluster.redis.url });
    try {
      const watcher = await join(urls()[0], room);
      const three = waitFor<Presence>(watcher.socket, "presence", 5000, (p) => p.online === 3);
      await join(doomed.url, room);
      await join(doomed.url, room);
      await three;
      const killedAt = Date.now();
      const one = waitFor<Presence>(watcher.socket, "presence", 30_000, (p) => p.online === 1);
      doomed.signal("SIGKILL");
      await one;
      console.log(
        `      members of the killed instance dropped out after ${Date.now() - killedAt} ms`,
      );
    } finally {
      await doomed.stop();
    }
  });
});
