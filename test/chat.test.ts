import { expect } from "chai";
import type { HandshakeAuth, Message, Presence } from "../contract/index.js";
import { forEachBackend } from "./support/backend-modes.js";
import { call, chatter, closeAll, connect } from "./support/clients.js";
import { request } from "./support/http.js";
import { MessageRecorder } from "./support/recorder.js";
import { eventually, waitFor } from "./support/wait.js";

let counter = 0;
const freshRoom = () => `room:${Date.now().toString(36)}${counter++}`;

async function member(url: string, room: string, name?: string) {
  const socket = await chatter(url, name ? { auth: { name } } : {});
  const answer = await call(socket, "join", { room });
  expect(answer.ok).to.equal(true);
  return socket;
}

forEachBackend("/chat", (instance) => {
  const url = () => instance().url;
  afterEach(closeAll);

  describe("handshake", () => {
    it("names guests guest-XXXX and trims given names", async () => {
      const room = freshRoom();
      const guest = await member(url(), room);
      const named = await member(url(), room, "  Ana  ");
      const a = await call(guest, "send", { room, text: "hi" });
      const b = await call(named, "send", { room, text: "hi" });
      expect(a.message.user.name).to.match(/^guest-\d{4}$/);
      expect(b.message.user.name).to.equal("Ana");
      expect(a.message.user.id).to.match(/^[A-Za-z0-9_-]{8,64}$/);
    });

    it("keeps a given userId", async () => {
      const room = freshRoom();
      const socket = await chatter(url(), { auth: { userId: "stable-user-1", name: "Bo" } });
      await call(socket, "join", { room });
      const answer = await call(socket, "send", { room, text: "x" });
      expect(answer.message.user).to.deep.equal({ id: "stable-user-1", name: "Bo" });
    });

    it("reads a null name or userId as not given, like a null token", async () => {
      const room = freshRoom();
      // As an untyped script sends it.
      const auth = { name: null, userId: null, token: null } as unknown as HandshakeAuth;
      const socket = await chatter(url(), { auth });
      await call(socket, "join", { room });
      const answer = await call(socket, "send", { room, text: "x" });
      expect(answer.message.user.name).to.match(/^guest-\d{4}$/);
      expect(answer.message.user.id).to.match(/^[A-Za-z0-9_-]{8,64}$/);
    });

    it("fails a name over 32 characters with bad_request; counts code points", async () => {
      const err = await connect(url(), "/chat", { auth: { name: "x".repeat(33) } }).catch((e) => e);
      expect(err.message).to.equal("bad_request");
      const emoji = await chatter(url(), { auth: { name: "⚽".repeat(32) } });
      expect(emoji.connected).to.equal(true);
    });
  });

  describe("join", () => {
    it("answers the last 50 messages and the online count", async () => {
      const room = freshRoom();
      // Six writers: one user may send bursts of 10 only.
      for (let w = 0; w < 6; w++) {
        const writer = await member(url(), room);
        for (let i = 1; i <= 10; i++) await call(writer, "send", { room, text: `m${w}-${i}` });
        writer.disconnect();
      }
      const reader = await chatter(url());
      const answer = await call(reader, "join", { room });
      expect(answer.ok).to.equal(true);
      expect(answer.history.map((m: Message) => m.seq)).to.deep.equal(
        Array.from({ length: 50 }, (_, i) => i + 11),
      );
      expect(answer.online).to.equal(1);
      expect(answer).to.not.have.property("truncated");
    });

    it("answers everything after since", async () => {
      const room = freshRoom();
      const writer = await member(url(), room);
      for (let i = 1; i <= 5; i++) await call(writer, "send", { room, text: `m${i}` });
      const reader = await chatter(url());
      const answer = await call(reader, "join", { room, since: 2 });
      expect(answer.history.map((m: Message) => m.text)).to.deep.equal(["m3", "m4", "m5"]);
      const none = await call(await chatter(url()), "join", { room, since: 5 });
      expect(none.history).to.deep.equal([]);
    });

    it("answers an empty room with no history", async () => {
      const answer = await call(await chatter(url()), "join", { room: freshRoom() });
      expect(answer).to.deep.equal({ ok: true, history: [], online: 1 });
    });

    it("repeats nothing when a socket joins a room again", async () => {
      const room = freshRoom();
      const socket = await member(url(), room);
      await call(socket, "send", { room, text: "once" });
      const again = await call(socket, "join", { room });
      expect(again.history).to.deep.equal([]);
      expect(again.online).to.equal(1);
    });

    it("refuses bad room names and since values, and more than 20 rooms", async () => {
      const socket = await chatter(url());
      for (const payload of [
        {},
        { room: "" },
        { room: "has space" },
        { room: "x".repeat(65) },
        { room: "r", since: -1 },
        { room: "r", since: 1.5 },
        { room: "r/x" },
      ]) {
        expect((await call(socket, "join", payload)).error.code, JSON.stringify(payload)).to.equal(
          "bad_request",
        );
      }
      for (let i = 0; i < 20; i++)
        expect((await call(socket, "join", { room: `lim-${i}` })).ok).to.equal(true);
      expect((await call(socket, "join", { room: "lim-20" })).error.code).to.equal("bad_request");
      expect((await call(socket, "join", { room: "lim-3" })).ok).to.equal(true);
      await call(socket, "leave", { room: "lim-0" });
      expect((await call(socket, "join", { room: "lim-20" })).ok).to.equal(true);
    });
  });

  describe("send", () => {
    it("stores, acknowledges and delivers to every member, text trimmed and verbatim", async () => {
      const room = freshRoom();
      const a = await member(url(), room, "ana");
      const b = await member(url(), room, "ben");
      const arrivals = [waitFor<Message>(a, "message"), waitFor<Message>(b, "message")];
      const text = '  <img src=x onerror="alert(1)"> &amp; "quotes"  ';
      const answer = await call(a, "send", { room, text });
      expect(answer.ok).to.equal(true);
      expect(answer.message).to.deep.include({ room, seq: 1, text: text.trim() });
      expect(Date.parse(answer.message.ts)).to.be.closeTo(Date.now(), 5000);
      for (const message of await Promise.all(arrivals))
        expect(message).to.deep.equal(answer.message);
      const stored = await request(`${url()}/api/rooms/${room}/messages`);
      expect(stored.body.messages).to.deep.equal([answer.message]);
    });

    it("refuses a room the socket has not joined with forbidden", async () => {
      const socket = await chatter(url());
      const answer = await call(socket, "send", { room: freshRoom(), text: "hello" });
      expect(answer.error.code).to.equal("forbidden");
    });

    it("refuses empty, whitespace-only and over-long text with bad_request", async () => {
      const room = freshRoom();
      const socket = await member(url(), room);
      for (const text of ["", "   \n\t ", "x".repeat(2001), 5, null]) {
        expect(
          (await call(socket, "send", { room, text })).error.code,
          String(text).slice(0, 9),
        ).to.equal("bad_request");
      }
      expect((await call(socket, "send", { room, text: ` ${"é".repeat(2000)} ` })).ok).to.equal(
        true,
      );
      expect((await call(socket, "send", { room, text: "x", nonce: "" })).error.code).to.equal(
        "bad_request",
      );
      expect(
        (await call(socket, "send", { room, text: "x", nonce: "n".repeat(65) })).error.code,
      ).to.equal("bad_request");
    });

    it("posts a retried nonce once and answers the first message", async () => {
      const room = freshRoom();
      const socket = await chatter(url(), { auth: { userId: `nonce-user-${counter}` } });
      await call(socket, "join", { room });
      const seen = new MessageRecorder();
      socket.on("message", seen.record);
      const [first, second] = await Promise.all([
        call(socket, "send", { room, text: "goal!", nonce: "tap-1" }),
        call(socket, "send", { room, text: "goal!", nonce: "tap-1" }),
      ]);
      expect(second.message).to.deep.equal(first.message);
      const third = await call(socket, "send", { room, text: "goal!", nonce: "tap-2" });
      expect(third.message.seq).to.equal(2);
      await eventually("both messages arrived", () => seen.count(room) === 2);
      expect(seen.audit(room, 2)).to.deep.equal({
        received: 2,
        missing: 0,
        duplicates: 0,
        outOfOrder: 0,
      });
    });

    it("limits one user to bursts of 10 messages, across sockets", async () => {
      const room = freshRoom();
      const userId = `burst-user-${counter++}`;
      const a = await chatter(url(), { auth: { userId } });
      const b = await chatter(url(), { auth: { userId } });
      await call(a, "join", { room });
      await call(b, "join", { room });
      const answers = await Promise.all(
        Array.from({ length: 14 }, (_, i) =>
          call(i % 2 ? a : b, "send", { room, text: `m${i}`, nonce: `b${i}` }),
        ),
      );
      const ok = answers.filter((answer) => answer.ok).length;
      const limited = answers.filter((answer) => answer.error?.code === "rate_limited").length;
      expect(ok).to.be.within(10, 11);
      expect(ok + limited).to.equal(14);
      const retry = await call(a, "send", { room, text: "m0", nonce: "b0" });
      expect(retry.ok, "a nonce retry is never limited").to.equal(true);
    });
  });

  describe("leave and presence", () => {
    it("counts members and tells them when someone joins, leaves or disconnects", async () => {
      const room = freshRoom();
      const a = await member(url(), room);
      const twoOnline = waitFor<Presence>(a, "presence", 5000, (p) => p.online === 2);
      const b = await chatter(url());
      expect((await call(b, "join", { room })).online).to.equal(2);
      expect(await twoOnline).to.deep.equal({ room, online: 2 });
      const oneAgain = waitFor<Presence>(a, "presence", 5000, (p) => p.online === 1);
      expect(await call(b, "leave", { room })).to.deep.equal({ ok: true });
      await oneAgain;
      const c = await member(url(), room);
      await waitFor<Presence>(a, "presence", 5000, (p) => p.online === 2);
      const afterDisconnect = waitFor<Presence>(a, "presence", 5000, (p) => p.online === 1);
      c.disconnect();
      await afterDisconnect;
    });

    it("stops delivering a room's messages after leave", async () => {
      const room = freshRoom();
      const other = freshRoom();
      const a = await member(url(), room);
      await call(a, "join", { room: other });
      const b = await member(url(), room);
      await call(b, "join", { room: other });
      await call(a, "leave", { room });
      const next = waitFor<Message>(a, "message");
      await call(b, "send", { room, text: "not for a" });
      await call(b, "send", { room: other, text: "for a" });
      expect((await next).room).to.equal(other);
      expect((await call(a, "send", { room, text: "x" })).error.code).to.equal("forbidden");
    });
  });

  describe("HTTP history", () => {
    it("pages with since and limit, and validates both", async () => {
      const room = freshRoom();
      const socket = await member(url(), room);
      for (let i = 1; i <= 8; i++)
        await call(socket, "send", { room, text: `m${i}`, nonce: `h${i}` });
      const get = (query: string) => request(`${url()}/api/rooms/${room}/messages${query}`);
      const seqs = async (query: string) =>
        (await get(query)).body.messages.map((m: Message) => m.seq);
      expect(await seqs("")).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(await seqs("?limit=3")).to.deep.equal([6, 7, 8]);
      expect(await seqs("?since=2&limit=3")).to.deep.equal([3, 4, 5]);
      expect(await seqs("?since=8")).to.deep.equal([]);
      for (const query of ["?limit=0", "?limit=1001", "?since=-1", "?since=x", "?limit=2.5"]) {
        const answer = await get(query);
        expect(answer.status, query).to.equal(400);
        expect(answer.body.error.code).to.equal("bad_request");
      }
      expect((await request(`${url()}/api/rooms/no%20such/messages`)).status).to.equal(400);
      expect((await request(`${url()}/api/rooms/${freshRoom()}/messages`)).body).to.deep.equal({
        messages: [],
      });
    });
  });
});
