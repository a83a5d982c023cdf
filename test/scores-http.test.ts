import { expect } from "chai";
import type { Match } from "../contract/index.js";
import { forEachBackend } from "./support/backend-modes.js";
import { closeAll, publisher, viewer } from "./support/clients.js";
import { put, request } from "./support/http.js";
import { PUBLISH_TOKEN } from "./support/instances.js";
import { waitFor } from "./support/wait.js";

let counter = 0;
const freshId = () => `h${Date.now().toString(36)}${counter++}`;
const teams = { home: { name: "Ajax" }, away: { name: "PSV" } };

forEachBackend("HTTP API: matches", (instance) => {
  const base = () => instance().url;
  afterEach(closeAll);

  it("lists matches and reads one with a strong ETag", async () => {
    const id = freshId();
    const created = await put(base(), id, teams);
    expect(created.status).to.equal(200);
    const list = await request(`${base()}/api/matches`);
    expect(list.status).to.equal(200);
    expect(list.body.matches.map((m: Match) => m.id)).to.include(id);
    const one = await request(`${base()}/api/matches/${id}`);
    expect(one.body).to.deep.equal(created.body);
    expect(one.headers.get("etag")).to.equal('"1"');
  });

  it("answers 304 to If-None-Match with the current version only", async () => {
    const id = freshId();
    await put(base(), id, teams);
    const same = await request(`${base()}/api/matches/${id}`, {
      headers: { "if-none-match": '"1"' },
    });
    expect(same.status).to.equal(304);
    await put(base(), id, { minute: 3 });
    const changed = await request(`${base()}/api/matches/${id}`, {
      headers: { "if-none-match": '"1"' },
    });
    expect(changed.status).to.equal(200);
    expect(changed.headers.get("etag")).to.equal('"2"');
  });

  it("answers 404 for an unknown match and 400 for an invalid id", async () => {
    const missing = await request(`${base()}/api/matches/${freshId()}`);
    expect(missing.status).to.equal(404);
    expect(missing.body.error.code).to.equal("not_found");
    const invalid = await request(`${base()}/api/matches/not%20valid`);
    expect(invalid.status).to.equal(400);
    expect(invalid.body.error.code).to.equal("bad_request");
  });

  describe("long poll", () => {
    it("answers at once when the version is already greater", async () => {
      const id = freshId();
      await put(base(), id, teams);
      const answer = await request(`${base()}/api/matches/${id}?after=0&wait=5`);
      expect(answer.status).to.equal(200);
      expect(answer.body.version).to.equal(1);
    });

    it("waits for a publish, also of a match not created yet", async () => {
      const id = freshId();
      const waiting = request(`${base()}/api/matches/${id}?after=0&wait=10`);
      const sub = await viewer(base());
      await sub.timeout(5000).emitWithAck("subscribe", { ids: [id] });
      const seen = waitFor<Match>(sub, "match");
      const pub = await publisher(base());
      await pub.timeout(5000).emitWithAck("publish", { id, ...teams });
      await seen;
      const answer = await waiting;
      expect(answer.status).to.equal(200);
      expect(answer.body).to.include({ id, version: 1 });
      expect(answer.headers.get("etag")).to.equal('"1"');
      const next = request(`${base()}/api/matches/${id}?after=1&wait=10`);
      await put(base(), id, { minute: 9 });
      expect((await next).body).to.include({ version: 2, minute: 9 });
    });

    it("answers 304 when nothing changes within the wait", async () => {
      const id = freshId();
      await put(base(), id, teams);
      const answer = await request(`${base()}/api/matches/${id}?after=1&wait=1`);
      expect(answer.status).to.equal(304);
    });

    it("refuses a wait outside 1..60 and a malformed after", async () => {
      for (const query of [
        "after=0&wait=0",
        "after=0&wait=61",
        "after=-1",
        "after=x",
        "after=0&wait=1.5",
      ]) {
        const answer = await request(`${base()}/api/matches/m1?${query}`);
        expect(answer.status, query).to.equal(400);
        expect(answer.body.error.code).to.equal("bad_request");
      }
    });
  });

  describe("PUT", () => {
    it("publishes like the socket event and reaches subscribers", async () => {
      const id = freshId();
      const sub = await viewer(base());
      await sub.timeout(5000).emitWithAck("subscribe", { ids: [id] });
      const seen = waitFor<Match>(sub, "match");
      const answer = await put(base(), id, { id, ...teams, status: "live", minute: 1 });
      expect(answer.status).to.equal(200);
      expect(answer.body).to.include({ id, status: "live", minute: 1, version: 1 });
      expect(answer.headers.get("etag")).to.equal('"1"');
      expect(await seen).to.deep.equal(answer.body);
    });

    it("answers 401 without a bearer token and 403 with a wrong one", async () => {
      const id = freshId();
      const none = await request(`${base()}/api/matches/${id}`, {
        method: "PUT",
        body: JSON.stringify(teams),
      });
      expect(none.status).to.equal(401);
      expect(none.body.error.code).to.equal("unauthorized");
      const basic = await request(`${base()}/api/matches/${id}`, {
        method: "PUT",
        headers: { authorization: "Basic dXNlcjpwYXNz" },
        body: JSON.stringify(teams),
      });
      expect(basic.status).to.equal(401);
      const wrong = await put(base(), id, teams, "not-a-token");
      expect(wrong.status).to.equal(403);
      expect(wrong.body.error.code).to.equal("forbidden");
      expect((await request(`${base()}/api/matches/${id}`)).status).to.equal(404);
    });

    it("answers 400 for bad JSON, schema errors and an id differing from the URL", async () => {
      const id = freshId();
      for (const body of [
        "",
        "null",
        "{not json",
        "[1,2]",
        '"text"',
        JSON.stringify({ ...teams, minute: 500 }),
        JSON.stringify({ id: "other", ...teams }),
        JSON.stringify({ home: { name: "A" } }),
      ]) {
        const answer = await put(base(), id, body);
        expect(answer.status, body).to.equal(400);
        expect(answer.body.error.code).to.equal("bad_request");
      }
    });

    it("answers 400 for a body in a charset other than UTF-8", async () => {
      const answer = await request(`${base()}/api/matches/${freshId()}`, {
        method: "PUT",
        headers: {
          authorization: `Bearer ${PUBLISH_TOKEN}`,
          "content-type": "application/json; charset=latin1",
        },
        body: JSON.stringify(teams),
      });
      expect(answer.status).to.equal(400);
      expect(answer.body.error.code).to.equal("bad_request");
    });

    it("answers 413 for a body over 64 KiB", async () => {
      const answer = await put(base(), freshId(), { ...teams, padding: "x".repeat(70_000) });
      expect(answer.status).to.equal(413);
      expect(answer.body.error.code).to.equal("bad_request");
    });

    it("answers 409 when expectedVersion differs", async () => {
      const id = freshId();
      await put(base(), id, teams);
      const answer = await put(base(), id, { minute: 4, expectedVersion: 5 });
      expect(answer.status).to.equal(409);
      expect(answer.body.error.code).to.equal("conflict");
    });
  });

  describe("origins", () => {
    it("refuses a foreign browser origin with 403 forbidden, Origin: null included", async () => {
      for (const origin of ["http://evil.example", "null"]) {
        const answer = await request(`${base()}/api/matches`, { headers: { origin } });
        expect(answer.status, origin).to.equal(403);
        expect(answer.body.error.code).to.equal("forbidden");
      }
      const same = await request(`${base()}/api/matches`, { headers: { origin: base() } });
      expect(same.status).to.equal(200);
    });
  });

  it("answers unknown API routes with a JSON 404 and an undecodable path with 400", async () => {
    const answer = await request(`${base()}/api/nothing`);
    expect(answer.status).to.equal(404);
    expect(answer.body.error.code).to.equal("not_found");
    const malformed = await request(`${base()}/api/matches/%zz`);
    expect(malformed.status).to.equal(400);
    expect(malformed.body.error).to.deep.equal({ code: "bad_request", message: "malformed URL" });
  });

  it("reports health, readiness and metrics", async () => {
    expect((await request(`${base()}/healthz`)).status).to.equal(200);
    expect((await request(`${base()}/readyz`)).status).to.equal(200);
    const metrics = await fetch(`${base()}/metrics`);
    expect(metrics.status).to.equal(200);
    expect(await metrics.text()).to.match(/^# TYPE matchday_events_in_total counter$/m);
  });
});
