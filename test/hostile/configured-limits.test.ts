import { expect } from "chai";
import type { Socket } from "socket.io-client";
import { DEFAULT_LIMITS, TEXT_MAX } from "../../contract/index.js";
import { call, chatter, publisher, viewer } from "../support/clients.js";
import { metric } from "../support/http.js";
import { useArena } from "./support/arena.js";
import { allowance } from "./support/allowance.js";
import { nestedObject } from "./support/nesting.js";
import { FAST_SENDER, floodUntilDropped, SLOW_SOCKET_DISCONNECTS } from "./support/slow-member.js";
import { paddedSubscribe } from "./support/padded.js";
import { engineUrl } from "./support/raw-socket.js";

/** Each limit set well below its default, as an operator would. */
const TIGHT = {
  MAX_MESSAGE_BYTES: "2048",
  MAX_PAYLOAD_DEPTH: "4",
  MAX_MATCHES_PER_SOCKET: "3",
  MAX_ROOMS_PER_SOCKET: "2",
  SOCKET_EVENTS_PER_SECOND: "20",
  SOCKET_EVENT_BURST: "6",
  PUBLISHER_EVENTS_PER_SECOND: "20",
  PUBLISHER_EVENT_BURST: "8",
  CHAT_MESSAGES_PER_SECOND: "1",
  CHAT_MESSAGE_BURST: "2",
};

/**
 * Sends twice `burst` copies of one event at once: the rate limit lets the
 * burst through (whatever the answers), and no more than the rate added
 * meanwhile.
 */
async function expectBucket(
  socket: Socket,
  [event, payload]: [string, object],
  burst: string,
  perSecond: string,
) {
  const count = Number(burst) * 2;
  const started = Date.now();
  const answers = await Promise.all(
    Array.from({ length: count }, () => call(socket, event, payload)),
  );
  const limited = answers.filter((a) => a.error?.code === "rate_limited").length;
  const bound = allowance(Number(burst), Number(perSecond), Date.now() - started);
  expect(count - limited, event).to.be.within(Number(burst), bound);
  expect(limited, event).to.be.above(0);
}

describe("hostile: every limit follows its environment variable", () => {
  describe("tight limits", () => {
    const arena = useArena({ env: TIGHT });

    it("MAX_MESSAGE_BYTES: WebSocket 1009 and polling 413 past it", () =>
      arena().survives(async (a) => {
        const max = Number(TIGHT.MAX_MESSAGE_BYTES);
        const exact = await a.connected("/scores");
        exact.send(paddedSubscribe(max));
        expect((await exact.ackOf("/scores", 1))[0]).to.deep.equal({ ok: true, matches: [] });
        const over = await a.raw();
        over.send(paddedSubscribe(max + 1));
        expect((await over.ended()).code).to.equal(1009);
        const session = await a.polling();
        expect(await session.post(paddedSubscribe(max + 1))).to.equal(413);
        const open = await (await fetch(engineUrl(a.url, "polling"))).text();
        expect(JSON.parse(open.slice(1)).maxPayload).to.equal(max);
      }));

    it("MAX_PAYLOAD_DEPTH, MAX_MATCHES_PER_SOCKET and MAX_ROOMS_PER_SOCKET", () =>
      arena().survives(async ({ url }) => {
        const depth = Number(TIGHT.MAX_PAYLOAD_DEPTH);
        const sub = await viewer(url);
        // `x` sits at level 2: an object there nesting n levels reaches level n + 1.
        const nesting = (levels: number) => ({ ids: ["d"], x: nestedObject(levels - 1) });
        expect((await call(sub, "subscribe", nesting(depth))).ok).to.equal(true);
        const over = await call(sub, "subscribe", nesting(depth + 1));
        expect(over.error.code).to.equal("bad_request");
        // "d" is followed already.
        const more = Array.from(
          { length: Number(TIGHT.MAX_MATCHES_PER_SOCKET) - 1 },
          (_, i) => `m${i}`,
        );
        expect((await call(sub, "subscribe", { ids: more })).ok).to.equal(true);
        expect((await call(sub, "subscribe", { ids: ["one-more"] })).error.code).to.equal(
          "bad_request",
        );
        const member = await chatter(url);
        const rooms = Number(TIGHT.MAX_ROOMS_PER_SOCKET);
        for (let i = 0; i < rooms; i++) {
          expect((await call(member, "join", { room: `r${i}` })).ok).to.equal(true);
        }
        expect((await call(member, "join", { room: "one-more" })).error.code).to.equal(
          "bad_request",
        );
        sub.disconnect();
        member.disconnect();
      }));

    it("SOCKET_EVENT_*, PUBLISHER_EVENT_* and CHAT_MESSAGE_*", () =>
      arena().survives(async ({ url }) => {
        const [sub, pub, member] = await Promise.all([viewer(url), publisher(url), chatter(url)]);
        await call(member, "join", { room: "chat-rate" });
        const { SOCKET_EVENT_BURST, SOCKET_EVENTS_PER_SECOND } = TIGHT;
        await expectBucket(
          sub,
          ["subscribe", { ids: ["m1"] }],
          SOCKET_EVENT_BURST,
          SOCKET_EVENTS_PER_SECOND,
        );
        const { PUBLISHER_EVENT_BURST, PUBLISHER_EVENTS_PER_SECOND } = TIGHT;
        const publish = { id: "burst", minute: 1 };
        await expectBucket(
          pub,
          ["publish", publish],
          PUBLISHER_EVENT_BURST,
          PUBLISHER_EVENTS_PER_SECOND,
        );
        const { CHAT_MESSAGE_BURST, CHAT_MESSAGES_PER_SECOND } = TIGHT;
        const send = { room: "chat-rate", text: "hi" };
        await expectBucket(member, ["send", send], CHAT_MESSAGE_BURST, CHAT_MESSAGES_PER_SECOND);
        for (const socket of [sub, pub, member]) socket.disconnect();
      }));
  });

  describe("SLOW_SOCKET_MAX_BYTES", () => {
    // Bursts raised so that a test can queue data quickly.
    const arena = useArena({ env: { SLOW_SOCKET_MAX_BYTES: "65536", ...FAST_SENDER } });

    it("disconnects a socket that does not read past 64 KiB", () =>
      arena().survives(async (a) => {
        const slow = await a.polling();
        await slow.connect("/chat");
        await slow.post('42/chat,1["join",{"room":"slow"}]');
        await slow.poll();
        const before = await metric(a.url, SLOW_SOCKET_DISCONNECTS);
        // At most 200 messages (400 KB) a second: the guard's check every
        // 250 ms lands well before the default cap could be the one that applied.
        const sent = await floodUntilDropped(a.url, "slow", 5);
        expect(sent * TEXT_MAX).to.be.below(DEFAULT_LIMITS.slowSocketBytes);
        expect((await metric(a.url, SLOW_SOCKET_DISCONNECTS)) - before).to.equal(1);
      }));
  });
});
