import { expect } from "chai";
import type { Match } from "../contract/index.js";
import { forEachBackend } from "./support/backend-modes.js";
import { call, closeAll, connect, publisher, viewer } from "./support/clients.js";
import { MatchRecorder } from "./support/recorder.js";
import { waitFor } from "./support/wait.js";

let counter = 0;
/** A match id no other test uses. */
const freshId = () => `m${Date.now().toString(36)}${counter++}`;

const teams = { home: { name: "Ajax" }, away: { name: "PSV" } };

forEachBackend("/scores", (instance) => {
  afterEach(closeAll);

  describe("handshake", () => {
    it("lets anyone in as a viewer and publishers in with a token", async () => {
      const v = await viewer(instance().url);
      const p = await publisher(instance().url);
      expect(v.connected && p.connected).to.equal(true);
    });

    it("fails a wrong token with unauthorized", async () => {
      const err = await connect(instance().url, "/scores", { auth: { token: "nope" } }).catch(
        (e) => e,
      );
      expect(err.message).to.equal("unauthorized");
    });

    it("fails an invalid name or userId with bad_request", async () => {
      for (const auth of [
        { name: "   " },
        { name: "x".repeat(33) },
        { userId: "short" },
        { userId: "a b c d e f g" },
      ]) {
        const err = await connect(instance().url, "/scores", { auth }).catch((e) => e);
        expect(err.message, JSON.stringify(auth)).to.equal("bad_request");
      }
    });

    it("refuses the main namespace, which the contract does not define", async () => {
      const err = await connect(instance().url, "/").catch((e) => e);
      expect(err.message).to.equal("not_found");
    });
  });

  describe("publish", () => {
    it("creates a match with defaults and broadcasts it to subscribers", async () => {
      const id = freshId();
      const sub = await viewer(instance().url);
      const snapshot = await call(sub, "subscribe", { ids: [id] });
      expect(snapshot).to.deep.equal({ ok: true, matches: [] });
      const event = waitFor<Match>(sub, "match");
      const pub = await publisher(instance().url);
      const answer = await call(pub, "publish", { id, ...teams });
      expect(answer.ok).to.equal(true);
      expect(answer.match).to.deep.include({
        id,
        home: { name: "Ajax", score: 0 },
        away: { name: "PSV", score: 0 },
        status: "scheduled",
        minute: null,
        version: 1,
      });
      expect(Date.parse(answer.match.updatedAt)).to.be.closeTo(Date.now(), 5000);
      expect(await event).to.deep.equal(answer.match);
    });

    it("merges partial updates and keeps what was not sent", async () => {
      const id = freshId();
      const pub = await publisher(instance().url);
      await call(pub, "publish", { id, ...teams, status: "live", minute: 10 });
      const { match } = await call(pub, "publish", { id, home: { score: 2 }, minute: 67 });
      expect(match).to.deep.include({
        home: { name: "Ajax", score: 2 },
        away: { name: "PSV", score: 0 },
        status: "live",
        minute: 67,
        version: 2,
      });
      const cleared = await call(pub, "publish", { id, minute: null, status: "halftime" });
      expect(cleared.match).to.include({ minute: null, status: "halftime", version: 3 });
    });

    it("answers a change-nothing publish with the current match and broadcasts nothing", async () => {
      const id = freshId();
      const pub = await publisher(instance().url);
      const created = await call(pub, "publish", { id, ...teams });
      const sub = await viewer(instance().url);
      const seen = new MatchRecorder();
      sub.on("match", seen.record);
      await call(sub, "subscribe", { ids: [id], versions: { [id]: 1 } });
      const same = await call(pub, "publish", { id, home: { name: "Ajax", score: 0 } });
      expect(same).to.deep.equal({ ok: true, match: created.match });
      const next = waitFor<Match>(sub, "match");
      await call(pub, "publish", { id, minute: 1 });
      expect((await next).version).to.equal(2);
      expect(seen.versions.get(id)).to.deep.equal([2]);
    });

    it("answers conflict when expectedVersion differs; 0 means create only", async () => {
      const id = freshId();
      const pub = await publisher(instance().url);
      expect((await call(pub, "publish", { id, ...teams, expectedVersion: 0 })).ok).to.equal(true);
      const again = await call(pub, "publish", { id, ...teams, expectedVersion: 0 });
      expect(again.ok).to.equal(false);
      expect(again.error.code).to.equal("conflict");
      const stale = await call(pub, "publish", { id, minute: 5, expectedVersion: 7 });
      expect(stale.error.code).to.equal("conflict");
      const fine = await call(pub, "publish", { id, minute: 5, expectedVersion: 1 });
      expect(fine.match.version).to.equal(2);
    });

    it("applies a socket's publishes to one match in the order it sent them", async () => {
      const id = freshId();
      const pub = await publisher(instance().url);
      await call(pub, "publish", { id, ...teams });
      const answers = await Promise.all(
        Array.from({ length: 30 }, (_, i) => call(pub, "publish", { id, home: { score: i + 1 } })),
      );
      const versions = answers.map((answer) => answer.match.version);
      expect(versions).to.deep.equal(Array.from({ length: 30 }, (_, i) => i + 2));
      const sub = await viewer(instance().url);
      const [stored] = (await call(sub, "subscribe", { ids: [id] })).matches;
      expect(stored.home.score).to.equal(30);
    });

    it("refuses viewers with forbidden", async () => {
      const v = await viewer(instance().url);
      const answer = await call(v, "publish", { id: freshId(), ...teams });
      expect(answer.ok).to.equal(false);
      expect(answer.error.code).to.equal("forbidden");
    });

    it("answers bad_request for every schema violation, storing nothing", async () => {
      const id = freshId();
      const pub = await publisher(instance().url);
      const bad: unknown[] = [
        null,
        42,
        "publish",
        [id],
        { ...teams },
        { id: "has space", ...teams },
        { id: "x".repeat(65), ...teams },
        { id, home: { name: "" }, away: { name: "B" } },
        { id, home: { name: "x".repeat(65) }, away: { name: "B" } },
        { id, ...teams, home: { name: "A", score: -1 } },
        { id, ...teams, home: { name: "A", score: 1.5 } },
        { id, ...teams, home: { name: "A", score: "1" } },
        { id, ...teams, status: "abandoned" },
        { id, ...teams, minute: 201 },
        { id, ...teams, minute: -1 },
        { id, ...teams, expectedVersion: -1 },
        { id, home: { name: "only home" } },
        { id, ...teams, home: null },
      ];
      for (const payload of bad) {
        const answer = await call(pub, "publish", payload);
        expect(answer.ok, JSON.stringify(payload)).to.equal(false);
        expect(answer.error.code, JSON.stringify(payload)).to.equal("bad_request");
        expect(answer.error.message).to.be.a("string").with.length.above(0);
      }
      const sub = await viewer(instance().url);
      expect(await call(sub, "subscribe", { ids: [id] })).to.deep.equal({ ok: true, matches: [] });
    });

    it("refuses payloads nested deeper than 16 levels", async () => {
      const pub = await publisher(instance().url);
      let deep: unknown = {};
      for (let i = 0; i < 16; i++) deep = { x: deep };
      const answer = await call(pub, "publish", { id: freshId(), ...teams, extra: deep });
      expect(answer.error.code).to.equal("bad_request");
      let ok: unknown = {};
      for (let i = 0; i < 14; i++) ok = { x: ok };
      expect((await call(pub, "publish", { id: freshId(), ...teams, extra: ok })).ok).to.equal(
        true,
      );
    });

    it("ignores unknown fields", async () => {
      const pub = await publisher(instance().url);
      const answer = await call(pub, "publish", {
        id: freshId(),
        ...teams,
        colour: "red",
        home: { name: "A", kit: 1 },
      });
      expect(answer.ok).to.equal(true);
      expect(answer.match).to.not.have.property("colour");
      expect(answer.match.home).to.deep.equal({ name: "A", score: 0 });
    });
  });

  describe("subscribe", () => {
    it("answers snapshots, skipping matches the client holds already", async () => {
      const [a, b, c] = [freshId(), freshId(), freshId()];
      const pub = await publisher(instance().url);
      await call(pub, "publish", { id: a, ...teams });
      await call(pub, "publish", { id: b, ...teams });
      await call(pub, "publish", { id: b, minute: 1 });
      const sub = await viewer(instance().url);
      const answer = await call(sub, "subscribe", { ids: [a, b, c], versions: { [a]: 1, [b]: 1 } });
      expect(answer.ok).to.equal(true);
      expect(answer.matches.map((m: Match) => [m.id, m.version])).to.deep.equal([[b, 2]]);
    });

    it("delivers a match created after subscribing", async () => {
      const id = freshId();
      const sub = await viewer(instance().url);
      await call(sub, "subscribe", { ids: [id] });
      const event = waitFor<Match>(sub, "match");
      const pub = await publisher(instance().url);
      await call(pub, "publish", { id, ...teams });
      expect((await event).version).to.equal(1);
    });

    it("never sends a version twice when a socket subscribes again", async () => {
      const id = freshId();
      const pub = await publisher(instance().url);
      await call(pub, "publish", { id, ...teams });
      const sub = await viewer(instance().url);
      const seen = new MatchRecorder();
      sub.on("match", seen.record);
      seen.record(...(await call(sub, "subscribe", { ids: [id] })).matches);
      seen.record(...(await call(sub, "subscribe", { ids: [id, id] })).matches);
      const next = waitFor<Match>(sub, "match");
      await call(pub, "publish", { id, minute: 2 });
      await next;
      expect(seen.versions.get(id)).to.deep.equal([1, 2]);
    });

    it("takes 1..100 valid ids", async () => {
      const sub = await viewer(instance().url);
      for (const payload of [
        { ids: [] },
        { ids: Array.from({ length: 101 }, (_, i) => `x${i}`) },
        { ids: ["bad id"] },
        { ids: "m1" },
        { ids: ["m1"], versions: { m1: -1 } },
        {},
      ]) {
        const answer = await call(sub, "subscribe", payload);
        expect(answer.error?.code, JSON.stringify(payload).slice(0, 60)).to.equal("bad_request");
      }
      expect(
        (await call(sub, "subscribe", { ids: Array.from({ length: 100 }, (_, i) => `x${i}`) })).ok,
      ).to.equal(true);
    });

    it("limits one socket to 200 matches", async () => {
      const sub = await viewer(instance().url);
      const ids = (from: number) => Array.from({ length: 100 }, (_, i) => `lim${from + i}`);
      expect((await call(sub, "subscribe", { ids: ids(0) })).ok).to.equal(true);
      expect((await call(sub, "subscribe", { ids: ids(100) })).ok).to.equal(true);
      expect((await call(sub, "subscribe", { ids: ids(50) })).ok).to.equal(true);
      const over = await call(sub, "subscribe", { ids: ["lim200"] });
      expect(over.error.code).to.equal("bad_request");
      await call(sub, "unsubscribe", { ids: ["lim0"] });
      expect((await call(sub, "subscribe", { ids: ["lim200"] })).ok).to.equal(true);
    });
  });

  describe("unsubscribe", () => {
    it("stops the events of those matches only", async () => {
      const [a, b] = [freshId(), freshId()];
      const pub = await publisher(instance().url);
      const sub = await viewer(instance().url);
      const seen = new MatchRecorder();
      sub.on("match", seen.record);
      await call(sub, "subscribe", { ids: [a, b] });
      expect(await call(sub, "unsubscribe", { ids: [a, "never-followed"] })).to.deep.equal({
        ok: true,
      });
      const event = waitFor<Match>(sub, "match");
      await call(pub, "publish", { id: a, ...teams });
      await call(pub, "publish", { id: b, ...teams });
      expect((await event).id).to.equal(b);
      expect(seen.versions.has(a)).to.equal(false);
      expect((await call(sub, "unsubscribe", { ids: [] })).error.code).to.equal("bad_request");
    });
  });

  describe("any event", () => {
    it("answers unknown events and bad payloads with bad_request, and survives no ack", async () => {
      const sub = await viewer(instance().url);
      expect((await call(sub, "dance", {})).error.code).to.equal("bad_request");
      expect((await call(sub, "subscribe", "m1")).error.code).to.equal("bad_request");
      expect((await call(sub, "subscribe", undefined)).error.code).to.equal("bad_request");
      sub.emit("subscribe" as any, { ids: ["m1"] });
      sub.emit("dance" as any);
      expect((await call(sub, "subscribe", { ids: ["m1"] })).ok).to.equal(true);
    });
  });
});
