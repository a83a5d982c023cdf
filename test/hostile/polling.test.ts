import { expect } from "chai";
import { DEFAULT_LIMITS } from "../../contract/index.js";
import { viewer } from "../support/clients.js";
import { Instance } from "../support/instances.js";
import { useArena } from "./support/arena.js";
import { paddedSubscribe } from "./support/padded.js";
import { SEPARATOR, UNKNOWN_SID } from "./support/raw-polling.js";
import { engineUrl } from "./support/raw-socket.js";

describe("hostile: polling", () => {
  const arena = useArena();

  it("answers bogus sids with 400 Session ID unknown", () =>
    arena().survives(async ({ url }) => {
      for (const sid of ["AAAAAAAAAAAAAAAAAAAA", "__proto__", "constructor", "x".repeat(8000)]) {
        for (const method of ["GET", "POST"]) {
          const res = await fetch(engineUrl(url, "polling", sid), {
            method,
            ...(method === "POST" ? { body: "40/scores," } : {}),
          });
          expect(res.status, `${method} ${sid.slice(0, 20)}`).to.equal(400);
          expect(await res.text()).to.equal(UNKNOWN_SID);
        }
      }
    }));

  it("closes the one session that polls twice at once", () =>
    arena().survives(async (a) => {
      const other = await a.polling();
      const session = await a.polling();
      const [first, second] = await Promise.all([session.poll(), session.poll()]);
      const statuses = [first.status, second.status].sort();
      expect(statuses).to.deep.equal([200, 400]);
      expect((await session.poll()).packets).to.deep.equal([UNKNOWN_SID]);
      expect(await other.connect("/scores")).to.match(/^40\/scores,/);
    }));

  it("closes the one session that posts twice at once", () =>
    arena().survives(async (a) => {
      const session = await a.polling();
      const poll = await session.hold();
      const pending = await session.holdPost();
      try {
        expect(await session.post("40/scores,")).to.equal(400);
      } finally {
        pending.abort();
      }
      expect((await poll.answer).packets).to.deep.equal(["1"]);
      expect((await session.poll()).packets).to.deep.equal([UNKNOWN_SID]);
    }));

  it("answers 413 to a body over 64 KiB, 200 to one of exactly 64 KiB", () =>
    arena().survives(async (a) => {
      const max = DEFAULT_LIMITS.maxMessageBytes;
      const session = await a.polling();
      expect(await session.connect("/scores")).to.match(/^40\/scores,/);
      expect(await session.post(paddedSubscribe(max + 1))).to.equal(413);
      expect(await session.post("x".repeat(10 * 1024 * 1024))).to.equal(413);
      expect(await session.post(paddedSubscribe(max))).to.equal(200);
      expect((await session.poll()).packets).to.deep.equal([
        '43/scores,1[{"ok":true,"matches":[]}]',
      ]);
    }));

  it("closes a session on a malformed or binary body", () =>
    arena().survives(async (a) => {
      for (const [body, headers] of [
        ["garbage", {}],
        [`40/scores,${SEPARATOR}x${SEPARATOR}`, {}],
        [Buffer.from([0, 1, 2]), { "content-type": "application/octet-stream" }],
      ] as const) {
        const session = await a.polling();
        const poll = await session.hold();
        await session.post(body, headers);
        expect((await poll.answer).packets, String(body)).to.deep.equal(["1"]);
        expect((await session.poll()).packets).to.deep.equal([UNKNOWN_SID]);
      }
    }));

  it("answers other methods and a POST handshake with 400", () =>
    arena().survives(async (a) => {
      for (const method of ["POST", "PUT", "DELETE", "PATCH"]) {
        const res = await fetch(engineUrl(a.url, "polling"), { method, body: "x" });
        expect(res.status, method).to.equal(400);
      }
      const session = await a.polling();
      const put = await fetch(session.url, { method: "PUT", body: "40/scores," });
      expect(put.status).to.be.within(400, 599);
    }));

  it("refuses new sessions while draining, an empty sid included", async () => {
    const instance = await Instance.start();
    // Two clients: the drain closes the second one, and then the server, after its window.
    const clients = await Promise.all([viewer(instance.url), viewer(instance.url)]);
    const drained = instance.app.drain(1000);
    try {
      for (const url of [
        engineUrl(instance.url, "polling"),
        engineUrl(instance.url, "polling") + "&sid=",
      ]) {
        expect((await fetch(url)).status, url).to.equal(503);
      }
    } finally {
      for (const client of clients) client.disconnect();
      await drained;
    }
  });
});
