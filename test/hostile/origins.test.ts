import { expect } from "chai";
import { useArena } from "./support/arena.js";
import { engineUrl, upgradeStatus } from "./support/raw-socket.js";

const ALLOWED = "https://allowed.example";

describe("hostile: origins", () => {
  const arena = useArena({ env: { CORS_ORIGINS: ALLOWED } });

  /** Every Origin a handshake may carry, and whether the contract lets it in. */
  function origins(): Array<[string | undefined, boolean]> {
    const same = arena().url;
    const { port } = new URL(same);
    return [
      [undefined, true],
      [same, true],
      [ALLOWED, true],
      ["null", false],
      ["https://evil.example", false],
      [`http://127.0.0.1:${Number(port) + 1}`, false],
      [`https://127.0.0.1:${port}.evil.example`, false],
      [`${ALLOWED}.evil.example`, false],
      [`https://evil.example/${ALLOWED}`, false],
      ["not a url", false],
    ];
  }

  const headersOf = (origin: string | undefined): Record<string, string> =>
    origin === undefined ? {} : { origin };

  it("answers a WebSocket handshake from a foreign Origin with 403", () =>
    arena().survives(async ({ url }) => {
      for (const [origin, allowed] of origins()) {
        const status = await upgradeStatus(engineUrl(url, "websocket"), headersOf(origin));
        expect(status, String(origin)).to.equal(allowed ? 101 : 403);
      }
    }));

  it("compares Origin and Host as origins: case and default ports aside, nothing else", () =>
    arena().survives(async ({ url }) => {
      const cases: Array<[host: string, origin: string, allowed: boolean]> = [
        ["example.com:80", "http://example.com", true],
        ["Example.COM", "http://example.com", true],
        ["example.com:443", "https://example.com", true],
        ["example.com:8080", "http://example.com", false],
        ["example.com:80", "https://example.com", false],
        ["example.com", "http://example.com.evil.example", false],
      ];
      for (const [host, origin, allowed] of cases) {
        const status = await upgradeStatus(engineUrl(url, "websocket"), { host, origin });
        expect(status, `${origin} on ${host}`).to.equal(allowed ? 101 : 403);
      }
    }));

  it("answers a polling handshake from a foreign Origin with 403", () =>
    arena().survives(async ({ url }) => {
      for (const [origin, allowed] of origins()) {
        const res = await fetch(engineUrl(url, "polling"), { headers: headersOf(origin) });
        const body = await res.text();
        expect(res.status, String(origin)).to.equal(allowed ? 200 : 403);
        expect(body.startsWith("0{"), String(origin)).to.equal(allowed);
      }
    }));

  it("refuses foreign requests on an open polling session, which carries on", () =>
    arena().survives(async (a) => {
      const session = await a.polling();
      const foreign = { origin: "https://evil.example" };
      expect(await session.post('42/scores,["subscribe"]', foreign)).to.equal(403);
      expect((await fetch(session.url, { headers: foreign })).status).to.equal(403);
      expect(await session.connect("/scores")).to.match(/^40\/scores,\{"sid":/);
    }));

  it("refuses an upgrade from a foreign Origin; the session stays on polling", () =>
    arena().survives(async (a) => {
      const session = await a.polling();
      expect(await session.connect("/scores")).to.match(/^40\/scores,/);
      for (const origin of ["https://evil.example", "null"]) {
        const url = engineUrl(a.url, "websocket", session.sid);
        expect(await upgradeStatus(url, { origin }), origin).to.equal(403);
      }
      expect(await session.post('42/scores,1["subscribe",{"ids":["origin"]}]')).to.equal(200);
      const answer = await session.poll();
      expect(answer.packets).to.deep.equal(['43/scores,1[{"ok":true,"matches":[]}]']);

      const upgraded = await a.raw({ sid: session.sid, headers: { origin: a.url } });
      upgraded.send("2probe");
      await upgraded.next((f) => f === "3probe");
    }));

  it("answers 403 to a crowd of foreign upgrades at once", () =>
    arena().survives(async ({ url }) => {
      const statuses = await Promise.all(
        Array.from({ length: 200 }, () =>
          upgradeStatus(engineUrl(url, "websocket"), { origin: "https://evil.example" }),
        ),
      );
      expect(new Set(statuses)).to.deep.equal(new Set([403]));
    }));
});
