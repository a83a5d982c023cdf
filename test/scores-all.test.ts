import { expect } from "chai";
import { RECENT_MATCHES_MAX, type Match } from "../contract/index.js";
import { forEachBackend } from "./support/backend-modes.js";
import { call, closeAll, publisher, viewer, type ScoresSocket } from "./support/clients.js";
import { MatchRecorder } from "./support/recorder.js";
import { eventually } from "./support/wait.js";

let counter = 0;
/** A match id no other test uses. */
const freshId = () => `a${Date.now().toString(36)}${counter++}`;
const teams = { home: { name: "Ajax" }, away: { name: "PSV" } };

/** A viewer that records every match it is sent, acks and events alike. */
async function recorded(url: string): Promise<{ socket: ScoresSocket; seen: MatchRecorder }> {
  const socket = await viewer(url);
  const seen = new MatchRecorder();
  socket.on("match", seen.record);
  return { socket, seen };
}

/** Answers `event` and records the matches of its answer. */
async function subscribed(socket: ScoresSocket, seen: MatchRecorder, event: string, payload = {}) {
  const answer = await call(socket, event, payload);
  expect(answer.ok, JSON.stringify(answer.error)).to.equal(true);
  const matches: Match[] = answer.matches ?? [];
  seen.record(...matches);
  return matches;
}

forEachBackend("/scores subscribe_all", (instance) => {
  afterEach(closeAll);

  it("answers the most recently updated matches, then every creation and update", async () => {
    const [old, updated] = [freshId(), freshId()];
    const pub = await publisher(instance().url);
    await call(pub, "publish", { id: old, ...teams });
    await call(pub, "publish", { id: updated, ...teams });
    await call(pub, "publish", { id: old, minute: 3 });
    const { socket, seen } = await recorded(instance().url);
    const matches = await subscribed(socket, seen, "subscribe_all");
    expect(matches.slice(0, 2).map((m) => [m.id, m.version])).to.deep.equal([
      [old, 2],
      [updated, 1],
    ]);
    const created = freshId();
    await call(pub, "publish", { id: created, ...teams });
    await call(pub, "publish", { id: updated, home: { score: 1 } });
    await eventually("the creation and the update arrive", () => seen.latest(updated) === 2);
    expect(seen.versions.get(created)).to.deep.equal([1]);
    expect(seen.violations()).to.equal(0);
  });

  it(`answers at most the ${RECENT_MATCHES_MAX} most recently updated, newest first`, async function () {
    this.timeout(60_000);
    const pub = await publisher(instance().url);
    const ids = Array.from({ length: RECENT_MATCHES_MAX + 5 }, () => freshId());
    // One after another: on a cluster, publishes in flight together on
    // different shards are ranked in whichever order the shards run them.
    for (const id of ids) await call(pub, "publish", { id, ...teams });
    // The first created becomes the most recently updated.
    await call(pub, "publish", { id: ids[0], minute: 1 });
    const { socket, seen } = await recorded(instance().url);
    const matches = await subscribed(socket, seen, "subscribe_all");
    expect(matches).to.have.length(RECENT_MATCHES_MAX);
    const expected = [ids[0], ...ids.slice(-(RECENT_MATCHES_MAX - 1)).reverse()];
    expect(matches.map((m) => m.id)).to.deep.equal(expected);
  });

  it("omits the versions the socket holds, and a repeated subscribe_all sends nothing again", async () => {
    const [held, behind] = [freshId(), freshId()];
    const pub = await publisher(instance().url);
    await call(pub, "publish", { id: held, ...teams });
    await call(pub, "publish", { id: behind, ...teams });
    await call(pub, "publish", { id: behind, minute: 9 });
    const { socket, seen } = await recorded(instance().url);
    const matches = await subscribed(socket, seen, "subscribe_all", {
      versions: { [held]: 1, [behind]: 1 },
    });
    const ids = matches.map((m) => m.id);
    expect(ids).to.include(behind);
    expect(ids).to.not.include(held);
    expect(await subscribed(socket, seen, "subscribe_all")).to.deep.equal([]);
    const newer = freshId();
    await call(pub, "publish", { id: newer, ...teams });
    await eventually("the next creation arrives", () => seen.latest(newer) === 1);
    expect(await subscribed(socket, seen, "subscribe_all")).to.deep.equal([]);
    expect(seen.violations()).to.equal(0);
  });

  it("sends one event per change to a socket that follows a match both ways", async () => {
    const [both, other] = [freshId(), freshId()];
    const pub = await publisher(instance().url);
    await call(pub, "publish", { id: both, ...teams });
    const { socket, seen } = await recorded(instance().url);
    await subscribed(socket, seen, "subscribe", { ids: [both] });
    await subscribed(socket, seen, "subscribe_all");
    // Subscribing again by id, before and after leaving, sends nothing held.
    await subscribed(socket, seen, "unsubscribe", { ids: [both] });
    await subscribed(socket, seen, "subscribe", { ids: [both] });
    await call(pub, "publish", { id: both, minute: 1 });
    // Events reach a socket in the order emitted: `other` comes after `both`.
    await call(pub, "publish", { id: other, ...teams });
    await eventually("the later match arrives", () => seen.latest(other) === 1);
    expect(seen.versions.get(both)).to.deep.equal([1, 2]);
  });

  it("sends a match its subscribe_all answer left out when subscribed by id, once", async () => {
    const pub = await publisher(instance().url);
    const old = freshId();
    await call(pub, "publish", { id: old, ...teams });
    const ids = Array.from({ length: RECENT_MATCHES_MAX }, () => freshId());
    // One after another: on a cluster, publishes in flight together on
    // different shards are ranked in whichever order the shards run them.
    for (const id of ids) await call(pub, "publish", { id, ...teams });
    const { socket, seen } = await recorded(instance().url);
    const all = await subscribed(socket, seen, "subscribe_all");
    expect(all.map((m) => m.id)).to.not.include(old);
    await subscribed(socket, seen, "subscribe", { ids: [old] });
    await subscribed(socket, seen, "unsubscribe", { ids: [old] });
    await subscribed(socket, seen, "subscribe", { ids: [old] });
    const marker = freshId();
    await call(pub, "publish", { id: marker, ...teams });
    await eventually("a later creation arrives", () => seen.latest(marker) === 1);
    expect(seen.versions.get(old)).to.deep.equal([1]);
  }).timeout(60_000);

  it("after unsubscribe_all follows only what it subscribed by id", async () => {
    const [byId, other, marker] = [freshId(), freshId(), freshId()];
    const pub = await publisher(instance().url);
    await call(pub, "publish", { id: byId, ...teams });
    await call(pub, "publish", { id: other, ...teams });
    const { socket, seen } = await recorded(instance().url);
    await subscribed(socket, seen, "subscribe_all");
    await subscribed(socket, seen, "subscribe", { ids: [byId, marker] });
    expect(await call(socket, "unsubscribe_all", {})).to.deep.equal({ ok: true });
    await call(pub, "publish", { id: other, minute: 5 });
    await call(pub, "publish", { id: byId, minute: 5 });
    await call(pub, "publish", { id: marker, ...teams });
    await eventually("the match followed by id arrives", () => seen.latest(marker) === 1);
    expect(seen.latest(byId)).to.equal(2);
    expect(seen.latest(other)).to.equal(1);
  });

  it("does not count toward the 200-match limit", async () => {
    const { socket, seen } = await recorded(instance().url);
    const ids = Array.from({ length: 200 }, () => freshId());
    for (let i = 0; i < ids.length; i += 100) {
      await subscribed(socket, seen, "subscribe", { ids: ids.slice(i, i + 100) });
    }
    await subscribed(socket, seen, "subscribe_all");
    const over = await call(socket, "subscribe", { ids: [freshId()] });
    expect(over.error?.code).to.equal("bad_request");
  });
});
