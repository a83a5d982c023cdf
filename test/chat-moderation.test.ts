import { expect } from "chai";
import { generateKeyPair, exportSPKI } from "jose";
import { KeyObject } from "node:crypto";
import { io } from "socket.io-client";
import type { Deleted, Message } from "../contract/index.js";
import { call, chatter, closeAll, type ChatSocket } from "./support/clients.js";
import { useCluster } from "./support/cluster.js";
import { request } from "./support/http.js";
import { Instance, PUBLISH_TOKEN } from "./support/instances.js";
import { jwtEnv, mintJwt, MODERATOR_TOKEN } from "./support/jwt.js";
import { eventually, waitFor } from "./support/wait.js";

let counter = 0;
const freshRoom = () => `mod:${Date.now().toString(36)}${counter++}`;

async function member(url: string, room: string, auth: object = {}) {
  const socket = await chatter(url, { auth });
  const received: Message[] = [];
  const deleted: Deleted[] = [];
  socket.on("message", (message) => received.push(message));
  socket.on("deleted", (d) => deleted.push(d));
  const answer = await call(socket, "join", { room });
  expect(answer.ok, JSON.stringify(answer)).to.equal(true);
  return { socket, received, deleted, history: answer.history as Message[] };
}

async function send(socket: ChatSocket, room: string, text: string): Promise<Message> {
  const answer = await call(socket, "send", { room, text });
  expect(answer.ok, JSON.stringify(answer)).to.equal(true);
  return answer.message as Message;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe("/chat identities and moderation across two instances", function () {
  this.timeout(30_000);
  const cluster = useCluster(2, { env: jwtEnv });
  const [a, b] = [0, 1].map((i) => () => cluster.instances[i].url);
  afterEach(closeAll);

  it("marks verified senders only, and a jwt's claims win over auth.name and auth.userId", async () => {
    const room = freshRoom();
    const jwt = await mintJwt({ sub: "site:ana@example", name: "Ana" });
    const verified = await member(a(), room, { jwt, name: "Mallory", userId: "impostor-id-1" });
    const guest = await member(b(), room, { name: "Ben", userId: "guest-ben-01" });
    const fromAna = await send(verified.socket, room, "hello");
    const fromBen = await send(guest.socket, room, "hi");
    expect(fromAna.user).to.deep.equal({ id: "site:ana@example", name: "Ana", verified: true });
    expect(fromBen.user).to.deep.equal({ id: "guest-ben-01", name: "Ben" });
    await eventually("both members have both messages", () =>
      [verified, guest].every((m) => m.received.length === 2),
    );
    expect(guest.received[0].user).to.deep.equal(fromAna.user);
    const page = await request(`${b()}/api/rooms/${room}/messages`);
    expect(page.body.messages.map((m: Message) => m.user)).to.deep.equal([
      fromAna.user,
      fromBen.user,
    ]);
  });

  it("keeps a guest that takes a verified user's id off that user's rate limit and nonces", async () => {
    const room = freshRoom();
    const jwt = await mintJwt({ sub: "alice_12345", name: "Alice" });
    const alice = await member(a(), room, { jwt });
    const impostor = await member(b(), room, { userId: "alice_12345" });
    // The guest spends a whole burst and plants the nonce Alice sends next.
    const planted = await call(impostor.socket, "send", { room, text: "planted", nonce: "n-1" });
    expect(planted.ok, JSON.stringify(planted)).to.equal(true);
    for (let i = 0; i < 12; i++) await call(impostor.socket, "send", { room, text: `spam ${i}` });
    const own = await call(alice.socket, "send", { room, text: "mine", nonce: "n-1" });
    expect(own.ok, JSON.stringify(own)).to.equal(true);
    expect(own.message.text).to.equal("mine");
    expect(own.message.user).to.deep.equal({ id: "alice_12345", name: "Alice", verified: true });
  });

  it("asks an auth function for a fresh jwt at every connection", async () => {
    const room = freshRoom();
    let calls = 0;
    const socket = io(`${a()}/chat`, {
      transports: ["websocket"],
      forceNew: true,
      reconnectionDelay: 50,
      auth: (cb) => {
        calls++;
        void mintJwt({ sub: "site:cyd", name: `Cyd ${calls}` }).then((jwt) => cb({ jwt }));
      },
    }) as ChatSocket;
    try {
      await waitFor(socket, "connect");
      expect((await call(socket, "join", { room })).ok).to.equal(true);
      expect((await send(socket, room, "first")).user.name).to.equal("Cyd 1");
      socket.io.engine.close();
      await waitFor(socket, "connect");
      expect((await call(socket, "join", { room })).ok).to.equal(true);
      expect((await send(socket, room, "second")).user.name).to.equal("Cyd 2");
      expect(calls).to.equal(2);
    } finally {
      socket.disconnect();
    }
  });

  it("deletes for every member on both instances, in history, since catch-up and HTTP, seqs kept", async () => {
    const room = freshRoom();
    const moderator = await member(a(), room, { token: MODERATOR_TOKEN });
    const near = await member(a(), room);
    const far = await member(b(), room);
    for (const text of ["one", "two", "three"]) await send(near.socket, room, text);
    await eventually("the far member has 3 messages", () => far.received.length === 3);

    expect(await call(moderator.socket, "delete", { room, seq: 2 })).to.deep.equal({ ok: true });
    await eventually("every member got deleted", () =>
      [moderator, near, far].every((m) => m.deleted.length === 1),
    );
    for (const m of [moderator, near, far]) expect(m.deleted).to.deep.equal([{ room, seq: 2 }]);
    expect(await call(moderator.socket, "delete", { room, seq: 2 })).to.deep.equal({ ok: true });
    expect((await call(moderator.socket, "delete", { room, seq: 9 })).error.code).to.equal(
      "not_found",
    );

    const texts = (messages: Message[]) => messages.map((m) => [m.seq, m.text, m.deleted]);
    const expected = [
      [1, "one", undefined],
      [2, "", true],
      [3, "three", undefined],
    ];
    const late = await member(b(), room);
    expect(texts(late.history)).to.deep.equal(expected);
    const since = await chatter(b());
    expect(texts((await call(since, "join", { room, since: 1 })).history)).to.deep.equal(
      expected.slice(1),
    );
    const page = await request(`${a()}/api/rooms/${room}/messages?since=0`);
    expect(texts(page.body.messages)).to.deep.equal(expected);
    expect((await send(near.socket, room, "four")).seq).to.equal(4);
  });

  it("DELETE /api/rooms/:room/messages/:seq: 204 for a moderator token or jwt, else 401 (no bearer), 403 or 404", async () => {
    const room = freshRoom();
    const writer = await member(a(), room);
    const far = await member(b(), room);
    for (const text of ["one", "two", "three"]) await send(writer.socket, room, text);
    const url = (seq: number | string) => `${a()}/api/rooms/${room}/messages/${seq}`;
    const del = (seq: number | string, headers: Record<string, string> = {}) =>
      request(url(seq), { method: "DELETE", headers });

    expect((await del(1)).status).to.equal(401);
    expect((await del(1, bearer(PUBLISH_TOKEN))).status).to.equal(403);
    const viewerJwt = await mintJwt({ sub: "site:viewer", name: "V" });
    expect((await del(1, bearer(viewerJwt))).status).to.equal(403);
    const expired = await mintJwt(
      { sub: "m", name: "M", roles: ["moderator"] },
      { expiresIn: -60 },
    );
    // The contract: any bearer that is not accepted is 403; the message says why.
    const refused = await del(1, bearer(expired));
    expect([refused.status, refused.body.error.code]).to.deep.equal([403, "forbidden"]);
    expect(refused.body.error.message).to.match(/expired/i);
    expect((await del(1, bearer(MODERATOR_TOKEN))).status).to.equal(204);
    const modJwt = await mintJwt({ sub: "site:mod", name: "Mod", roles: ["moderator"] });
    expect((await del(2, bearer(modJwt))).status).to.equal(204);
    expect((await del(2, bearer(modJwt))).status).to.equal(204);
    const missing = await del(7, bearer(MODERATOR_TOKEN));
    expect([missing.status, missing.body.error.code]).to.deep.equal([404, "not_found"]);
    expect((await del("x", bearer(MODERATOR_TOKEN))).status).to.equal(400);
    await eventually("the far member got both deletions", () => far.deleted.length === 2);
    expect(far.deleted.map((d) => d.seq)).to.deep.equal([1, 2]);

    const publisherJwt = await mintJwt({ sub: "site:pub", name: "Pub", roles: ["publisher"] });
    const put = await request(`${b()}/api/matches/jwt-put`, {
      method: "PUT",
      headers: { ...bearer(publisherJwt), "content-type": "application/json" },
      body: JSON.stringify({ home: { name: "A" }, away: { name: "B" } }),
    });
    expect(put.status).to.equal(200);
  });

  it("refuses moderator events from a viewer, a publisher and a verified non-moderator; nothing changes", async () => {
    const room = freshRoom();
    const writer = await member(a(), room);
    await send(writer.socket, room, "keep me");
    const jwt = await mintJwt({ sub: "site:fan", name: "Fan", roles: ["publisher"] });
    for (const auth of [{}, { token: PUBLISH_TOKEN }, { jwt }]) {
      const socket = await chatter(b(), { auth });
      for (const [event, payload] of [
        ["delete", { room, seq: 1 }],
        ["mute", { userId: writer.socket.id, minutes: 5 }],
        ["unmute", { userId: "anyone-at-all" }],
      ] as const) {
        const answer = await call(socket, event, payload);
        expect(answer.error?.code, `${event} with ${JSON.stringify(auth)}`).to.equal("forbidden");
      }
    }
    const page = await request(`${a()}/api/rooms/${room}/messages`);
    expect(page.body.messages[0]).to.include({ text: "keep me" }).and.not.have.property("deleted");
    expect(writer.deleted).to.deep.equal([]);
  });

  it("mutes across instances until the acked end, replaces it, unmutes; bad minutes are bad_request", async () => {
    const room = freshRoom();
    const moderator = await member(a(), room, { token: MODERATOR_TOKEN });
    const fan = await member(b(), room, { userId: "loud-fan-0001" });
    const other = freshRoom();
    expect((await call(fan.socket, "join", { room: other })).ok).to.equal(true);

    for (const minutes of [0, 10_081, 1.5, "5"]) {
      const answer = await call(moderator.socket, "mute", { userId: "loud-fan-0001", minutes });
      expect(answer.error?.code, `minutes ${minutes}`).to.equal("bad_request");
    }
    const before = Date.now();
    const muted = await call(moderator.socket, "mute", {
      userId: "loud-fan-0001",
      minutes: 10,
      room,
    });
    expect(muted.ok).to.equal(true);
    expect(Date.parse(muted.until) - before).to.be.within(10 * 60_000 - 1000, 10 * 60_000 + 1000);
    const redis = await cluster.redis.client();
    try {
      const ttl = await redis.pTTL("test:mute:{loud-fan-0001}:" + room);
      expect(ttl).to.be.within(9 * 60_000, 10 * 60_000);
    } finally {
      await redis.close();
    }
    const refused = await call(fan.socket, "send", { room, text: "let me talk" });
    expect(refused.error.code).to.equal("forbidden");
    expect(refused.error.message).to.include(muted.until);
    await send(fan.socket, other, "elsewhere is fine");

    const shorter = await call(moderator.socket, "mute", {
      userId: "loud-fan-0001",
      minutes: 1,
      room,
    });
    expect(Date.parse(shorter.until)).to.be.below(Date.parse(muted.until));
    expect((await call(fan.socket, "send", { room, text: "now?" })).error.message).to.include(
      shorter.until,
    );
    expect(await call(moderator.socket, "unmute", { userId: "loud-fan-0001", room })).to.deep.equal(
      { ok: true },
    );
    await send(fan.socket, room, "thanks");
    const history = await request(`${a()}/api/rooms/${room}/messages`);
    expect(history.body.messages.map((m: Message) => m.text)).to.deep.equal(["thanks"]);
  });
});

describe("/chat with GUEST_CHAT=off", function () {
  let instance: Instance;
  before(async () => {
    instance = await Instance.start({ env: { ...jwtEnv, GUEST_CHAT: "off" } });
  });
  after(() => instance.close());
  afterEach(closeAll);

  it("lets guests join and read but only verified users send", async () => {
    const room = freshRoom();
    const guest = await member(instance.url, room, { name: "Guest" });
    const jwt = await mintJwt({ sub: "site:dee", name: "Dee" });
    const verified = await member(instance.url, room, { jwt });
    const refused = await call(guest.socket, "send", { room, text: "hi" });
    expect(refused.error.code).to.equal("forbidden");
    const sent = await send(verified.socket, room, "welcome");
    expect(sent).to.deep.include({ seq: 1, user: { id: "site:dee", name: "Dee", verified: true } });
    await eventually("the guest reads it", () => guest.received.length === 1);
  });
});

for (const alg of ["ES256", "EdDSA"] as const) {
  describe(`/chat with JWT_PUBLIC_KEY for ${alg}`, function () {
    let instance: Instance;
    let privateKey: KeyObject;
    before(async () => {
      // Ed25519 is jose's default curve for EdDSA; P-256 is the one ES256 names.
      const pair = await generateKeyPair(alg, { extractable: true });
      privateKey = KeyObject.from(pair.privateKey);
      instance = await Instance.start({
        env: { JWT_PUBLIC_KEY: await exportSPKI(pair.publicKey) },
      });
    });
    after(() => instance.close());
    afterEach(closeAll);

    it("accepts a signed jwt at the handshake and puts its sub and name on the messages", async () => {
      const room = freshRoom();
      const jwt = await mintJwt(
        { sub: `site:${alg}`, name: `Signed ${alg}` },
        { key: privateKey, alg },
      );
      const signed = await member(instance.url, room, { jwt, name: "Mallory" });
      const reader = await member(instance.url, room);
      const user = { id: `site:${alg}`, name: `Signed ${alg}`, verified: true };
      expect((await send(signed.socket, room, "hello")).user).to.deep.equal(user);
      await eventually("the reader has the message", () => reader.received.length === 1);
      expect(reader.received[0].user).to.deep.equal(user);
    });
  });
}
