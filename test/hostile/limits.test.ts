import { expect } from "chai";
import { DEFAULT_LIMITS, IDS_PER_REQUEST_MAX, type Match } from "../../contract/index.js";
import { call, publisher, viewer, chatter } from "../support/clients.js";
import { put, request } from "../support/http.js";
import { eventually } from "../support/wait.js";
import { allowance } from "./support/allowance.js";
import { useArena } from "./support/arena.js";
import { nestedObject } from "./support/nesting.js";

const teams = { home: { name: "A" }, away: { name: "B" } };

describe("hostile: limits at their defaults", () => {
  const arena = useArena();

  it("refuses a payload nested 17 deep, storing and broadcasting nothing; takes 16", () =>
    arena().survives(async ({ url }) => {
      const depth = DEFAULT_LIMITS.maxPayloadDepth;
      const watcher = await viewer(url);
      const received: Match[] = [];
      watcher.on("match", (match) => received.push(match));
      await call(watcher, "subscribe", { ids: ["depth-socket", "depth-http", "depth-ok"] });
      const pub = await publisher(url);
      // `extra` sits at level 2: an object at level 2 nesting n levels reaches level n + 1.
      const over = { ...teams, extra: nestedObject(depth) };
      const refused = await call(pub, "publish", { id: "depth-socket", ...over });
      expect(refused.error?.code).to.equal("bad_request");
      expect((await put(url, "depth-http", over)).status).to.equal(400);
      const within = { ...teams, extra: nestedObject(depth - 1) };
      expect((await call(pub, "publish", { id: "depth-ok", ...within })).ok).to.equal(true);
      expect((await put(url, "depth-ok", { ...within, minute: 1 })).status).to.equal(200);

      await eventually("the accepted versions arrive", () => received.length === 2);
      expect(received.map((m) => [m.id, m.version])).to.deep.equal([
        ["depth-ok", 1],
        ["depth-ok", 2],
      ]);
      for (const id of ["depth-socket", "depth-http"]) {
        expect((await request(`${url}/api/matches/${id}`)).status, id).to.equal(404);
      }
      watcher.disconnect();
      pub.disconnect();
    }));

  it("holds a socket to 200 matches, even when it subscribes with many events at once", () =>
    arena().survives(async ({ url }) => {
      const sub = await viewer(url);
      const batches = Array.from({ length: 5 }, (_, b) =>
        Array.from({ length: IDS_PER_REQUEST_MAX }, (_, i) => `cap${b}-${i}`),
      );
      const answers = await Promise.all(batches.map((ids) => call(sub, "subscribe", { ids })));
      const followed = answers.filter((a) => a.ok).length * IDS_PER_REQUEST_MAX;
      expect(followed).to.equal(DEFAULT_LIMITS.matchesPerSocket);
      for (const answer of answers.filter((a) => !a.ok)) {
        expect(answer.error.code).to.equal("bad_request");
      }
      expect((await call(sub, "subscribe", { ids: ["one-more"] })).error?.code).to.equal(
        "bad_request",
      );
      sub.disconnect();
    }));

  it("holds a socket to 20 rooms, even when it joins with many events at once", () =>
    arena().survives(async ({ url }) => {
      const member = await chatter(url);
      const rooms = Array.from({ length: DEFAULT_LIMITS.roomsPerSocket + 10 }, (_, i) => `cap${i}`);
      const answers = await Promise.all(rooms.map((room) => call(member, "join", { room })));
      expect(answers.filter((a) => a.ok)).to.have.length(DEFAULT_LIMITS.roomsPerSocket);
      for (const answer of answers.filter((a) => !a.ok)) {
        expect(answer.error.code).to.equal("bad_request");
      }
      member.disconnect();
    }));

  it("refuses a socket's events past its burst with rate_limited, and lets it go on later", () =>
    arena().survives(async ({ url }) => {
      const { socketEventBurst: burst, socketEventsPerSecond: rate } = DEFAULT_LIMITS;
      const sub = await viewer(url);
      const started = Date.now();
      const answers = await Promise.all(
        Array.from({ length: burst * 1.5 }, () => call(sub, "subscribe", { ids: ["burst"] })),
      );
      const elapsed = Date.now() - started;
      const ok = answers.filter((a) => a.ok).length;
      expect(ok).to.be.within(burst, allowance(burst, rate, elapsed));
      const refused = answers.filter((a) => !a.ok).map((a) => a.error.code);
      expect(new Set(refused)).to.deep.equal(new Set(["rate_limited"]));
      expect(sub.connected).to.equal(true);
      await eventually("the socket is served again", async () => {
        return (await call(sub, "subscribe", { ids: ["burst"] })).ok;
      });
      sub.disconnect();
    }));
});
