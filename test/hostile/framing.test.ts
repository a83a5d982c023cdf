import { expect } from "chai";
import { DEFAULT_LIMITS } from "../../contract/index.js";
import { useArena } from "./support/arena.js";
import { paddedSubscribe } from "./support/padded.js";
import type { RawSocket } from "./support/raw-socket.js";

const NSP = "/scores";

describe("hostile: framing", () => {
  const arena = useArena();

  /** The socket still answers a well-formed event. */
  async function stillServed(raw: RawSocket, what: string): Promise<void> {
    const [answer] = await raw.call(NSP, "subscribe", { ids: ["framed"] });
    expect(answer, what).to.deep.equal({ ok: true, matches: [] });
  }

  it("closes the one connection that sends a malformed packet", () =>
    arena().survives(async () => {
      for (const frame of [
        "", // no Engine.IO packet type
        "x",
        "9",
        "2", // a ping: Engine.IO v4 pings go from server to client only
        "4x", // no Socket.IO packet type
        "47",
        `42${NSP},["subscribe"`, // truncated JSON
        `42${NSP},["subscribe",{"ids":["a"]}`,
        `42${NSP},{"ids":["a"]}`, // data not an array
        `42${NSP},[]`, // no event name
        `42${NSP},1["disconnect"]`, // a reserved event name
        `42${NSP},[null]`,
        `44${NSP},"x"`, // CONNECT_ERROR, which only servers send
        `40${NSP},`, // CONNECT again
      ]) {
        const raw = await arena().connected(NSP);
        raw.send(frame);
        await raw.ended().catch((err: Error) => {
          throw new Error(`${JSON.stringify(frame)}: ${err.message}`);
        });
      }
    }));

  it("answers or ignores well-framed oddities, and keeps serving that socket", () =>
    arena().survives(async () => {
      const raw = await arena().connected(NSP);
      for (const frame of [
        "3", // an unsolicited pong
        "5", // an upgrade on a connection that has upgraded
        "6", // noop
        `42${NSP}`, // no comma, no data
        `43${NSP},7["x"]`, // an ack the server never asked for
        `42${NSP},["subscribe",{"ids":["a"]}]`, // no ack id
      ]) {
        raw.send(frame);
        await stillServed(raw, JSON.stringify(frame));
      }
    }));

  it("answers an ack id without an event name with bad_request", () =>
    arena().survives(async () => {
      const raw = await arena().connected(NSP);
      raw.send(`42${NSP},41`);
      const [answer] = await raw.ackOf(NSP, 41);
      expect(answer).to.have.nested.property("error.code", "bad_request");
      raw.send(`42${NSP},42[5]`);
      expect((await raw.ackOf(NSP, 42))[0]).to.have.nested.property("error.code", "bad_request");
    }));

  it("never runs an event sent before CONNECT", () =>
    arena().survives(async () => {
      const raw = await arena().raw();
      raw.send(`42${NSP},1["subscribe",{"ids":["arena-match"]}]`);
      await raw.ended();
      expect(raw.frames.filter((f) => String(f).startsWith("4"))).to.deep.equal([]);
    }));

  it("refuses unknown namespaces and the main one, and still connects a known one", () =>
    arena().survives(async () => {
      const raw = await arena().raw();
      for (const nsp of [
        "/nope",
        "/__proto__",
        "/constructor",
        "/scores/x",
        "/" + "n".repeat(5000),
      ]) {
        expect(await raw.connect(nsp), nsp.slice(0, 20)).to.equal(
          `44${nsp},{"message":"Invalid namespace"}`,
        );
      }
      raw.send("40");
      expect(await raw.next((f) => f.startsWith("44{"))).to.equal('44{"message":"not_found"}');
      expect(await raw.connect(NSP)).to.match(/^40\/scores,/);
      await stillServed(raw, "after refused namespaces");
    }));

  it("closes a connection on binary attachment bombs", () =>
    arena().survives(async () => {
      const bombs: Array<Array<string | Buffer>> = [
        ['451000000-["x"]'],
        ['450-["x"]'],
        ['45-["x"]'],
        ['45abc-["x"]'],
        ['4511-/scores,["subscribe",{}]'], // more than Socket.IO's 10 attachments
        ['451-/scores,1["subscribe",{"ids":["a"]}]', '42/scores,2["subscribe"]'], // text, not the attachment
        [Buffer.from([1, 2, 3])], // an attachment with no packet
        [
          '452-/scores,1["subscribe",{}]',
          Buffer.alloc(10),
          Buffer.alloc(10),
          Buffer.alloc(10),
          "4x",
        ],
      ];
      for (const frames of bombs) {
        const raw = await arena().connected(NSP);
        raw.send(...frames);
        await raw.ended().catch((err: Error) => {
          throw new Error(`${JSON.stringify(frames[0])}: ${err.message}`);
        });
      }
    }));

  it("reassembles ten 64 KiB attachments of one event and answers it", () =>
    arena().survives(async () => {
      const raw = await arena().connected(NSP);
      const attachments = Array.from({ length: 10 }, () => Buffer.alloc(65_536, 7));
      raw.send(`4510-${NSP},1["subscribe",{"ids":["framed"]}]`, ...attachments);
      expect((await raw.ackOf(NSP, 1))[0]).to.deep.equal({ ok: true, matches: [] });
    }));

  it("closes with 1009 a frame over 64 KiB; serves one of exactly 64 KiB", () =>
    arena().survives(async () => {
      const max = DEFAULT_LIMITS.maxMessageBytes;
      const exact = await arena().connected(NSP);
      exact.send(paddedSubscribe(max));
      expect((await exact.ackOf(NSP, 1))[0]).to.deep.equal({ ok: true, matches: [] });
      for (const frame of [paddedSubscribe(max + 1), Buffer.alloc(max + 1)]) {
        const raw = await arena().connected(NSP);
        raw.send(frame);
        expect((await raw.ended()).code, typeof frame).to.equal(1009);
      }
    }));

  it("closes with 1007 a text frame of invalid UTF-8", () =>
    arena().survives(async () => {
      const raw = await arena().connected(NSP);
      raw.sendText(
        Buffer.concat([
          Buffer.from(`42${NSP},1["subscribe",{"ids":["`),
          Buffer.from([0xff, 0xfe]),
          Buffer.from('"]}]'),
        ]),
      );
      expect((await raw.ended()).code).to.equal(1007);
    }));
});
