import { expect } from "chai";
import { RETAINED_MESSAGES, type ChatUser } from "../contract/index.js";
import { AppError } from "../contract/app-error.js";
import {
  memoryStores,
  redisClusterStores,
  redisStores,
  type StoreFactory,
} from "./support/backends.js";
import { eventually } from "./support/wait.js";

const ana: ChatUser = { id: "user-ana-01", name: "ana" };
const ben: ChatUser = { id: "user-ben-01", name: "ben" };
const generous = { perSecond: 10_000, burst: 10_000 };

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (err) {
    expect(err).to.be.instanceOf(AppError);
    return err as AppError;
  }
  throw new Error("expected a rejection");
}

for (const factory of [memoryStores, redisStores(), redisClusterStores()] as StoreFactory[]) {
  describe(`store contract: ${factory.name}`, () => {
    before(() => factory.setUp());
    after(() => factory.tearDown());

    describe("MatchStore", () => {
      const create = { id: "m1", home: { name: "Ajax" }, away: { name: "PSV" } };

      it("creates with defaults, then merges partial updates", async () => {
        const store = factory.matches();
        const { match } = await store.publish(create);
        expect(match).to.include({ id: "m1", status: "scheduled", minute: null, version: 1 });
        expect(match.home).to.deep.equal({ name: "Ajax", score: 0 });
        const next = await store.publish({
          id: "m1",
          home: { score: 2 },
          minute: 67,
          status: "live",
        });
        expect(next.changed).to.equal(true);
        expect(next.match.home).to.deep.equal({ name: "Ajax", score: 2 });
        expect(next.match.away).to.deep.equal({ name: "PSV", score: 0 });
        expect(next.match).to.include({ version: 2, minute: 67, status: "live" });
        expect(await store.get("m1")).to.deep.equal(next.match);
      });

      it("bumps nothing for an update that changes nothing", async () => {
        const store = factory.matches();
        const first = await store.publish({ ...create, minute: 3 });
        const again = await store.publish({ id: "m1", minute: 3, home: { name: "Ajax" } });
        expect(again.changed).to.equal(false);
        expect(again.match).to.deep.equal(first.match);
      });

      it("checks expectedVersion, 0 meaning create only", async () => {
        const store = factory.matches();
        await store.publish({ ...create, expectedVersion: 0 });
        expect((await rejection(store.publish({ ...create, expectedVersion: 0 }))).code).to.equal(
          "conflict",
        );
        const ok = await store.publish({ id: "m1", minute: 1, expectedVersion: 1 });
        expect(ok.match.version).to.equal(2);
      });

      it("refuses to create without both team names", async () => {
        const store = factory.matches();
        const err = await rejection(store.publish({ id: "m9", home: { name: "A" } }));
        expect(err.code).to.equal("bad_request");
        expect(await store.get("m9")).to.equal(undefined);
      });

      it("lists, reads many in order and reports versions", async () => {
        const store = factory.matches();
        await store.publish({ ...create, id: "a" });
        await store.publish({ ...create, id: "b" });
        await store.publish({ id: "b", minute: 5 });
        expect((await store.list()).map((m) => m.id).sort()).to.deep.equal(["a", "b"]);
        expect((await store.getMany(["b", "zz", "a"])).map((m) => m.id)).to.deep.equal(["b", "a"]);
        expect([...(await store.versions(["a", "b", "zz"]))]).to.deep.equal([
          ["a", 1],
          ["b", 2],
          ["zz", 0],
        ]);
      });

      it("ranks matches by their latest change, newest first, and lists changes after a rank", async () => {
        const store = factory.matches();
        for (const id of ["a", "b", "c"]) await store.publish({ ...create, id });
        await store.publish({ id: "a", minute: 1 });
        await store.publish({ id: "b", home: { name: "Ajax" } });
        const recent = await store.recent(2);
        expect(recent.map((r) => [r.match.id, r.match.version])).to.deep.equal([
          ["a", 2],
          ["c", 1],
        ]);
        expect(recent[0].rank).to.be.greaterThan(recent[1].rank);
        expect((await store.changedAfter(recent[1].rank)).map((c) => c.id)).to.deep.equal(["a"]);
        const all = await store.changedAfter(0);
        expect(all.map((c) => c.id)).to.deep.equal(["b", "c", "a"]);
        expect(all.at(-1)!.rank).to.equal(recent[0].rank);
      });

      it("gives concurrent publishes versions 1..N without repeats", async () => {
        const store = factory.matches();
        await store.publish(create);
        const results = await Promise.all(
          Array.from({ length: 40 }, (_, i) => store.publish({ id: "m1", minute: i + 1 })),
        );
        const versions = results.map((r) => r.match.version).sort((a, b) => a - b);
        expect(versions).to.deep.equal(Array.from({ length: 40 }, (_, i) => i + 2));
        const [latest] = await store.recent(1);
        expect(latest.match.version).to.equal(41);
      });

      it("keeps ids of every index bucket apart and ranks them all in one order", async () => {
        const store = factory.matches({ indexBuckets: 8 });
        const ids = Array.from({ length: 40 }, (_, i) => `b${i}`);
        const third = (r: number) => ids.filter((_, i) => i % 3 === r);
        // bN ends at version N % 3 + 1, ranked by that version, then by N.
        for (const id of ids) await store.publish({ ...create, id });
        for (const id of [...third(1), ...third(2)]) await store.publish({ id, minute: 1 });
        for (const id of third(2)) await store.publish({ id, minute: 2 });
        const version = (id: string) => (Number(id.slice(1)) % 3) + 1;
        const ranked = [...third(0), ...third(1), ...third(2)];

        const asked = [...ids].reverse().flatMap((id) => [id, `${id}-missing`]);
        expect((await store.getMany(asked)).map((m) => [m.id, m.version])).to.deep.equal(
          [...ids].reverse().map((id) => [id, version(id)]),
        );
        expect([...(await store.versions(asked))]).to.deep.equal(
          asked.map((id) => [id, ids.includes(id) ? version(id) : 0]),
        );
        expect((await store.list()).map((m) => m.id).sort()).to.deep.equal([...ids].sort());

        const all = await store.changedAfter(0);
        expect(all.map((c) => c.id)).to.deep.equal(ranked);
        const ranks = all.map((c) => c.rank);
        expect(new Set(ranks).size, "ranks unique").to.equal(ids.length);
        expect(ranks).to.deep.equal([...ranks].sort((a, b) => a - b));

        const recent = await store.recent(10);
        expect(recent.map((r) => [r.match.id, r.match.version, r.rank])).to.deep.equal(
          all
            .slice(-10)
            .reverse()
            .map((c) => [c.id, version(c.id), c.rank]),
        );
        // A store may repeat ids changed shortly before the rank, never skip one after it.
        const cut = all[29].rank;
        const after = (await store.changedAfter(cut)).filter((c) => c.rank > cut);
        expect(after).to.deep.equal(all.slice(30));
      });

      it("waits for replication of each change, and of nothing else", async function () {
        if (factory.name !== "redis") this.skip();
        const keys: string[] = [];
        const failure = new Error("too few replicas");
        const store = factory.matches({
          // Replicas hold the first two changes, then fall behind.
          replicated: async (key) => {
            keys.push(key);
            if (keys.length > 2) throw failure;
          },
        });
        await store.publish(create);
        await store.publish({ id: "m1", minute: 1 });
        await store.publish({ id: "m1", minute: 1 });
        await rejection(store.publish({ id: "m9", home: { name: "A" } }));
        expect(keys).to.have.length(2);
        const err = await store.publish({ id: "m1", minute: 2 }).catch((e: unknown) => e);
        expect(err).to.equal(failure);
        expect(keys).to.have.length(3);
      });
    });

    describe("MessageStore", () => {
      it("numbers a room's messages 1, 2, 3 and keeps other rooms apart", async () => {
        const store = factory.messages();
        const a1 = await store.append({ room: "r:a", user: ana, text: "one" }, generous);
        const b1 = await store.append({ room: "r:b", user: ben, text: "uno" }, generous);
        const a2 = await store.append({ room: "r:a", user: ben, text: "two" }, generous);
        expect([a1, b1, a2].map((r) => r.kind)).to.deep.equal(["created", "created", "created"]);
        if (a2.kind !== "created") throw new Error("unreachable");
        expect(a2.message).to.deep.include({ room: "r:a", seq: 2, user: ben, text: "two" });
        expect(Number.isNaN(Date.parse(a2.message.ts))).to.equal(false);
        expect([...(await store.heads(["r:a", "r:b", "r:c"]))]).to.deep.equal([
          ["r:a", 2],
          ["r:b", 1],
          ["r:c", 0],
        ]);
      });

      it("returns the first message for a repeated nonce, scoped by user and room", async () => {
        const store = factory.messages();
        const first = await store.append(
          { room: "r", user: ana, text: "hi", nonce: "n1" },
          generous,
        );
        const retry = await store.append(
          { room: "r", user: ana, text: "hi!", nonce: "n1" },
          generous,
        );
        expect(retry.kind).to.equal("duplicate");
        if (first.kind !== "created" || retry.kind !== "duplicate") throw new Error("unreachable");
        expect(retry.message).to.deep.equal(first.message);
        const otherUser = await store.append(
          { room: "r", user: ben, text: "hi", nonce: "n1" },
          generous,
        );
        const otherRoom = await store.append(
          { room: "q", user: ana, text: "hi", nonce: "n1" },
          generous,
        );
        expect([otherUser.kind, otherRoom.kind]).to.deep.equal(["created", "created"]);
        expect((await store.heads(["r"])).get("r")).to.equal(2);
      });

      it("posts concurrent sends of one nonce once, answering the rest with that message", async () => {
        const store = factory.messages();
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            store.append({ room: "r", user: ana, text: `try ${i}`, nonce: "n1" }, generous),
          ),
        );
        const created = results.filter((result) => result.kind === "created");
        expect(created).to.have.length(1);
        for (const result of results)
          expect(result).to.deep.include({ message: created[0].message });
        expect((await store.heads(["r"])).get("r")).to.equal(1);
      });

      it("applies a token bucket per user; refusals and nonce retries cost nothing", async () => {
        const store = factory.messages();
        const rate = { perSecond: 1, burst: 3 };
        const kinds: string[] = [];
        for (let i = 0; i < 5; i++) {
          kinds.push(
            (await store.append({ room: "r", user: ana, text: `m${i}`, nonce: `n${i}` }, rate))
              .kind,
          );
        }
        expect(kinds).to.deep.equal([
          "created",
          "created",
          "created",
          "rate_limited",
          "rate_limited",
        ]);
        const retry = await store.append({ room: "r", user: ana, text: "m0", nonce: "n0" }, rate);
        expect(retry.kind).to.equal("duplicate");
        const other = await store.append({ room: "r", user: ben, text: "x" }, rate);
        expect(other.kind).to.equal("created");
        expect((await store.heads(["r"])).get("r")).to.equal(4);
      });

      it("pages history: the newest, or after a seq, with limits", async () => {
        const store = factory.messages();
        for (let i = 1; i <= 10; i++)
          await store.append({ room: "r", user: ana, text: `m${i}` }, generous);
        const seqs = (page: { messages: { seq: number }[] }) => page.messages.map((m) => m.seq);
        expect(seqs(await store.history("r", { limit: 3 }))).to.deep.equal([8, 9, 10]);
        expect(seqs(await store.history("r", { since: 7 }))).to.deep.equal([8, 9, 10]);
        expect(seqs(await store.history("r", { since: 2, limit: 2 }))).to.deep.equal([3, 4]);
        expect(seqs(await store.history("r", { since: 10 }))).to.deep.equal([]);
        const page = await store.history("r", { since: 0 });
        expect(page).to.include({ head: 10, truncated: false });
        expect(await store.history("empty", { limit: 5 })).to.deep.equal({
          messages: [],
          truncated: false,
          head: 0,
          deletions: 0,
        });
      });

      it("turns a message into a tombstone everywhere it is read, numbering deletions per room", async () => {
        const store = factory.messages();
        const verified: ChatUser = { id: "site:ana", name: "ana", verified: true };
        await store.append({ room: "r", user: verified, text: "one", nonce: "n1" }, generous);
        await store.append({ room: "r", user: ben, text: "two" }, generous);
        await store.append({ room: "q", user: ben, text: "uno" }, generous);
        const first = await store.delete("r", 1);
        if (first.kind !== "deleted") throw new Error(`expected a deletion, got ${first.kind}`);
        expect(first.deletion).to.deep.include({ room: "r", seq: 1, position: 1 });
        expect(await store.delete("r", 1)).to.deep.equal({ kind: "unchanged" });
        expect(await store.delete("r", 3)).to.deep.equal({ kind: "not_found" });
        expect((await store.delete("r", 2)).kind).to.equal("deleted");

        const page = await store.history("r", { since: 0 });
        expect(page).to.deep.include({ head: 2, deletions: 2 });
        expect(page.messages[0]).to.deep.include({
          seq: 1,
          text: "",
          deleted: true,
          user: verified,
        });
        expect(page.messages[1]).to.deep.include({ seq: 2, text: "", deleted: true });
        expect((await store.history("q", { limit: 5 })).messages[0]).to.not.have.property(
          "deleted",
        );
        const retry = await store.append(
          { room: "r", user: verified, text: "one", nonce: "n1" },
          generous,
        );
        expect(retry).to.deep.include({ kind: "duplicate" });
        expect(retry.kind === "duplicate" && retry.message).to.deep.include({
          seq: 1,
          deleted: true,
        });
        expect((await store.deletionsAfter("r", 1)).map((d) => [d.position, d.seq])).to.deep.equal([
          [2, 2],
        ]);
        expect([...(await store.deletionHeads(["r", "q"]))]).to.deep.equal([
          ["r", 2],
          ["q", 0],
        ]);
      });

      it(`retains at least the newest ${RETAINED_MESSAGES} and flags what is gone`, async function () {
        this.timeout(60_000);
        const store = factory.messages();
        const total = RETAINED_MESSAGES + 300;
        for (let i = 1; i <= total; i++)
          await store.append({ room: "r", user: ana, text: `m${i}` }, generous);
        const all = await store.history("r", { since: 0 });
        expect(all.truncated).to.equal(true);
        expect(all.head).to.equal(total);
        expect(all.messages.length).to.be.at.least(RETAINED_MESSAGES);
        const seqs = all.messages.map((m) => m.seq);
        expect(seqs.at(-1)).to.equal(total);
        seqs.forEach((seq, i) => i > 0 && expect(seq).to.equal(seqs[i - 1] + 1));
        const recent = await store.history("r", { since: total - RETAINED_MESSAGES });
        expect(recent.truncated).to.equal(false);
        expect(recent.messages).to.have.length(RETAINED_MESSAGES);
        expect(await store.delete("r", 1)).to.deep.equal({ kind: "not_found" });
      });
    });

    describe("MuteStore", () => {
      const minute = 60_000;

      it("mutes per room or everywhere, the later end winning; muting again replaces it", async () => {
        const now = Date.now();
        const { store, ttl } = factory.mutes(() => now);
        const inRoom = await store.mute("user-ana-01", "r", 10 * minute);
        expect(await store.mutedUntil("user-ana-01", "r")).to.equal(inRoom);
        expect(await store.mutedUntil("user-ana-01", "q")).to.equal(undefined);
        expect(await store.mutedUntil("user-ben-01", "r")).to.equal(undefined);
        const everywhere = await store.mute("user-ana-01", undefined, 20 * minute);
        expect(await store.mutedUntil("user-ana-01", "r")).to.equal(everywhere);
        expect(await store.mutedUntil("user-ana-01", "q")).to.equal(everywhere);
        const shorter = await store.mute("user-ana-01", undefined, 2 * minute);
        expect(shorter).to.be.below(everywhere);
        expect(await ttl("user-ana-01")).to.be.within(minute, 2 * minute);
        expect(await store.mutedUntil("user-ana-01", "r")).to.equal(inRoom);
        await store.unmute("user-ana-01", "r");
        expect(await store.mutedUntil("user-ana-01", "r")).to.equal(shorter);
        await store.unmute("user-ana-01", undefined);
        expect(await store.mutedUntil("user-ana-01", "r")).to.equal(undefined);
      });

      it("ends a mute by itself", async () => {
        let now = Date.now();
        const { store, ttl } = factory.mutes(() => now);
        await store.mute("user-ana-01", "r", 10 * minute);
        expect(await ttl("user-ana-01", "r")).to.be.within(9 * minute, 10 * minute);
        if (factory.name === "memory") {
          now += 10 * minute;
          expect(await store.mutedUntil("user-ana-01", "r")).to.equal(undefined);
        } else {
          // Redis expires the key itself: a short mute shows it without waiting minutes.
          await store.mute("user-ana-01", "r", 50);
          await eventually(
            "the mute ends",
            async () => (await store.mutedUntil("user-ana-01", "r")) === undefined,
          );
        }
      });
    });

    describe("PresenceStore", () => {
      it("adds the counts of every instance and versions each change", async () => {
        const [a, b] = factory.presence(2);
        const first = await a.set("r", 2);
        expect(first.online).to.equal(2);
        const both = await b.set("r", 3);
        if (factory.name === "memory") {
          // One instance: the latest count is the total.
          expect(both.online).to.equal(3);
          return;
        }
        expect(both.online).to.equal(5);
        expect(both.version).to.be.greaterThan(first.version);
        expect((await a.set("r", 0)).online).to.equal(3);
        expect((await b.set("r", null)).online).to.equal(3);
        // A refresh brings back no count.
        expect((await a.set("r", null)).online).to.equal(3);
      });

      if (factory.name === "memory") return;

      it("drops a silent instance's counts from the totals after its TTL, with no reaper", async () => {
        const [beating, silent] = factory.presence(2, 400);
        const pause = () => new Promise((resolve) => setTimeout(resolve, 250));
        await Promise.all([beating.heartbeat(), silent.heartbeat()]);
        await silent.set("r", 4);
        expect((await beating.set("r", 1)).online).to.equal(5);
        await pause();
        expect(await beating.heartbeat()).to.equal(false);
        expect((await beating.set("r", null)).online).to.equal(5);
        await pause();
        expect((await beating.set("r", null)).online).to.equal(1);
        expect(await silent.heartbeat()).to.equal(true);
      });

      it("takes back the counts of an instance that retired at once", async () => {
        const [stays, retires] = factory.presence(2);
        await retires.set("r1", 2);
        await retires.set("r2", 1);
        await stays.set("r1", 1);
        await retires.retire();
        expect((await stays.set("r1", null)).online).to.equal(1);
        expect((await stays.set("r2", null)).online).to.equal(0);
        expect(await retires.heartbeat()).to.equal(true);
      });
    });
  });
}
