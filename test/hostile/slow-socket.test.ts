import { expect } from "chai";
import { DEFAULT_LIMITS, TEXT_MAX, type Match } from "../../contract/index.js";
import { call, publisher } from "../support/clients.js";
import { metric, request } from "../support/http.js";
import { eventually } from "../support/wait.js";
import { useArena } from "./support/arena.js";
import { UNKNOWN_SID } from "./support/raw-polling.js";
import { FAST_SENDER, floodUntilDropped, SLOW_SOCKET_DISCONNECTS } from "./support/slow-member.js";

const DROPPED = "matchday_superseded_dropped_total";

/** The versions of `id` in a batch of polled packets, in order. */
function versionsIn(packets: string[], id: string): number[] {
  return packets
    .filter((p) => p.startsWith('42/scores,["match",'))
    .map((p) => (JSON.parse(p.slice("42/scores,".length)) as [string, Match])[1])
    .filter((m) => m.id === id)
    .map((m) => m.version);
}

describe("hostile: slow sockets", () => {
  // Bursts raised so that a test can queue a megabyte quickly; the cap is the default.
  const arena = useArena({ env: FAST_SENDER });

  it("drops superseded versions for a socket that does not read; it gets the latest", () =>
    arena().survives(async (a) => {
      const id = "slow-match";
      const slow = await a.polling();
      expect(await slow.connect("/scores")).to.match(/^40\/scores,/);
      await slow.post(`42/scores,1["subscribe",{"ids":["${id}"]}]`);
      expect((await slow.poll()).packets).to.deep.equal(['43/scores,1[{"ok":true,"matches":[]}]']);

      const droppedBefore = await metric(a.url, DROPPED);
      const pub = await publisher(a.url);
      const update = (score: number) => ({
        id,
        home: { name: "H".repeat(64), score },
        away: { name: "A".repeat(64) },
      });
      const first = await call(pub, "publish", update(0));
      // Three quarters of the cap: past the half where dropping starts, short
      // of the cap even if the guard's timer were late.
      const bytes = `42/scores,${JSON.stringify(["match", first.match])}`.length;
      const count = Math.ceil((DEFAULT_LIMITS.slowSocketBytes * 0.75) / bytes);
      await Promise.all(
        Array.from({ length: count }, (_, i) => call(pub, "publish", update(i + 1))),
      );
      pub.disconnect();
      await eventually("superseded versions are dropped", async () => {
        return (await metric(a.url, DROPPED)) > droppedBefore;
      });
      const { version } = (await request(`${a.url}/api/matches/${id}`)).body as Match;
      const { packets } = await slow.poll();
      const received = versionsIn(packets, id);
      expect(received.at(-1)).to.equal(version);
      expect(received.length).to.be.below(version);
      expect(received.every((v, i) => i === 0 || v > received[i - 1])).to.equal(true);
      expect(await slow.connect("/chat")).to.match(/^40\/chat,/);
    }));

  it("disconnects a polling socket past 1 MiB of queued messages", () =>
    arena().survives(async (a) => {
      const room = "slow-poll";
      const slow = await a.polling();
      expect(await slow.connect("/chat")).to.match(/^40\/chat,/);
      await slow.post(`42/chat,1["join",{"room":"${room}"}]`);
      await slow.poll();

      const before = await metric(a.url, SLOW_SOCKET_DISCONNECTS);
      await floodUntilDropped(a.url, room);
      expect((await slow.poll()).packets).to.deep.equal([UNKNOWN_SID]);
      expect((await metric(a.url, SLOW_SOCKET_DISCONNECTS)) - before).to.equal(1);
    }));

  it("disconnects a WebSocket that stops reading, once the cap is queued", () =>
    arena().survives(async (a) => {
      const room = "slow-ws";
      const slow = await a.connected("/chat");
      await slow.call("/chat", "join", { room });
      slow.pause();
      const sent = await floodUntilDropped(a.url, room);
      // The kernel's buffers take megabytes first; the cap then holds.
      expect(sent * TEXT_MAX).to.be.above(DEFAULT_LIMITS.slowSocketBytes);
    }));
});
