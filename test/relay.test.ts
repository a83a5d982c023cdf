import { expect } from "chai";
import { pino } from "pino";
import { Relay, type RelaySource } from "../server/realtime/relay.js";

interface Item {
  key: string;
  pos: number;
}

/** A stored stream the relay can read, and a record of what it emitted to whom. */
function harness(mode: "contiguous" | "latest", retainedFrom = 1) {
  const stored: Item[] = [];
  const emitted: Array<{ pos: number; except: readonly string[] }> = [];
  let reads = 0;
  const source: RelaySource<Item> = {
    async readAfter(key, after) {
      reads++;
      const items = stored.filter((i) => i.key === key && i.pos > after && i.pos >= retainedFrom);
      return mode === "latest" ? items.slice(-1) : items;
    },
    async heads(keys) {
      return new Map(
        keys.map((k) => [k, Math.max(0, ...stored.filter((i) => i.key === k).map((i) => i.pos))]),
      );
    },
  };
  const relay = new Relay<Item>({
    mode,
    position: (item) => item.pos,
    source,
    sink: {
      emit: (_key, item, except) => emitted.push({ pos: item.pos, except }),
      hasMembers: () => true,
    },
    logger: pino({ level: "silent" }),
    onRepair: () => {},
  });
  const store = (...positions: number[]) =>
    positions.map((pos) => ({ key: "k", pos })).forEach((i) => stored.push(i));
  const item = (pos: number): Item => ({ key: "k", pos });
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return { relay, store, item, emitted, settle, reads: () => reads };
}

describe("Relay", () => {
  describe("contiguous (chat)", () => {
    it("emits each position once, in order, dropping repeats", () => {
      const h = harness("contiguous");
      h.relay.follow("k", 0);
      for (const pos of [1, 2, 2, 1, 3]) h.relay.offer("k", h.item(pos));
      expect(h.emitted.map((e) => e.pos)).to.deep.equal([1, 2, 3]);
      expect(h.reads()).to.equal(0);
    });

    it("holds items after a gap and fills it from storage first", async () => {
      const h = harness("contiguous");
      h.relay.follow("k", 0);
      h.store(1, 2, 3, 4);
      h.relay.offer("k", h.item(1));
      h.relay.offer("k", h.item(4));
      expect(h.emitted.map((e) => e.pos)).to.deep.equal([1]);
      await h.settle();
      expect(h.emitted.map((e) => e.pos)).to.deep.equal([1, 2, 3, 4]);
    });

    it("finds a loss no later item reveals when it sweeps", async () => {
      const h = harness("contiguous");
      h.relay.follow("k", 0);
      h.store(1, 2);
      h.relay.offer("k", h.item(1));
      await h.relay.sweep();
      expect(h.emitted.map((e) => e.pos)).to.deep.equal([1, 2]);
    });

    it("resumes at the oldest retained position when storage lost the gap", async () => {
      const h = harness("contiguous", 5);
      h.relay.follow("k", 0);
      h.store(1, 2, 3, 4, 5, 6, 7);
      h.relay.offer("k", h.item(7));
      await h.settle();
      expect(h.emitted.map((e) => e.pos)).to.deep.equal([5, 6, 7]);
    });

    it("keeps positions a joiner got in its history away from it", () => {
      const h = harness("contiguous");
      h.relay.follow("k", 2);
      expect(h.relay.admit("k", "joiner", 4)).to.deep.equal([]);
      for (const pos of [3, 4, 5]) h.relay.offer("k", h.item(pos));
      expect(h.emitted).to.deep.equal([
        { pos: 3, except: ["joiner"] },
        { pos: 4, except: ["joiner"] },
        { pos: 5, except: [] },
      ]);
    });

    it("hands a joiner what the room got after its history was read", () => {
      const h = harness("contiguous");
      h.relay.follow("k", 0);
      for (const pos of [1, 2, 3]) h.relay.offer("k", h.item(pos));
      expect(h.relay.admit("k", "joiner", 1).map((i) => i.pos)).to.deep.equal([2, 3]);
    });
  });

  describe("latest (scores)", () => {
    it("emits only newer states and never reads for a gap", async () => {
      const h = harness("latest");
      h.relay.follow("k", 1, h.item(1));
      for (const pos of [3, 2, 3, 5]) h.relay.offer("k", h.item(pos));
      await h.settle();
      expect(h.emitted.map((e) => e.pos)).to.deep.equal([3, 5]);
      expect(h.reads()).to.equal(0);
      expect(h.relay.latest("k")?.pos).to.equal(5);
    });

    it("repairs to the stored state when a sweep finds it newer", async () => {
      const h = harness("latest");
      h.relay.follow("k", 1, h.item(1));
      h.store(1, 2, 3);
      await h.relay.sweep();
      expect(h.emitted.map((e) => e.pos)).to.deep.equal([3]);
    });

    it("answers waiters with the first newer state, or nothing after the wait", async () => {
      const h = harness("latest");
      h.relay.follow("k", 1, h.item(1));
      const waiting = h.relay.wait("k", 1, 1000);
      h.relay.offer("k", h.item(2));
      expect((await waiting)?.pos).to.equal(2);
      expect(await h.relay.wait("k", 2, 10)).to.equal(undefined);
    });
  });
});
