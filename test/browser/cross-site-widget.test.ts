import { expect } from "chai";
import type { Page } from "playwright-core";
import type { MatchUpdate } from "../../contract/index.js";
import { putMatch } from "../../client/http-api.js";
import { BALANCERS, type BalancerKind } from "../../scripts/balancers.js";
import { instanceOfSession } from "../../server/realtime/session-id.js";
import { PUBLISH_TOKEN } from "../support/instances.js";
import { startProcessInstance } from "../support/process-instance.js";
import { useProcessCluster } from "../support/process-cluster.js";
import { Balancer } from "./support/balancer.js";
import { useBrowser } from "./support/browser.js";
import { embedPage, painted, widgetSays, widgetText } from "./support/embed-page.js";
import { HostSite } from "./support/host-site.js";

const teams = { home: { name: "Ajax" }, away: { name: "PSV" } };
const now = () => performance.timeOrigin + performance.now();
/** Kills of the instance holding the widget's session, per balancer: the median is reported. */
const ROUNDS = 5;

/**
 * What the page's traffic to the service showed: the session it is on now,
 * "Session ID unknown" answers, and any cookie in either direction.
 */
function watch(page: Page) {
  const seen = { sid: "", unknownSession: 0, cookies: 0 };
  page.on("request", (req) => {
    const sid = new URL(req.url()).searchParams.get("sid");
    if (req.url().includes("/socket.io/") && sid) seen.sid = sid;
    if (req.headers()["cookie"]) seen.cookies++;
  });
  page.on("response", async (res) => {
    if (res.headers()["set-cookie"]) seen.cookies++;
    if (res.status() !== 400) return;
    const body = await res.text().catch(() => "");
    if (body.includes("Session ID unknown")) seen.unknownSession++;
  });
  return seen;
}

for (const kind of Object.keys(BALANCERS) as BalancerKind[]) {
  describe(`an embedded widget on another site, long polling through ${kind}`, function () {
    this.timeout(90_000);
    const browser = useBrowser();
    const pages = new Map<string, string>();
    const env: Record<string, string> = {};
    let site: HostSite;
    // A proxy that refuses WebSocket upgrades, as some corporate ones do, in front of the balancer.
    let proxy: Balancer;
    let serviceUrl: string;

    before(async () => {
      site = await HostSite.start(pages);
      env.CORS_ORIGINS = site.origin;
    });
    const cluster = useProcessCluster({ env, balancer: kind });
    before(async () => {
      proxy = await Balancer.start(cluster.proxy.url);
      proxy.blockWebSocket = true;
      // Another site than the page's 127.0.0.1.
      serviceUrl = proxy.url.replace("127.0.0.1", "localhost");
    });
    after(async () => {
      await proxy?.close();
      await site?.close();
    });

    /** Publishes over HTTP straight to instance `via`. */
    const publish = (update: MatchUpdate, via = 0) =>
      putMatch(cluster.instances[via].url, PUBLISH_TOKEN, update);

    async function embed(id: string): Promise<{ page: Page; seen: ReturnType<typeof watch> }> {
      pages.set(`/${id}.html`, embedPage(serviceUrl, [id]));
      const page = await browser.page();
      const cdp = await page.context().newCDPSession(page);
      await cdp.send("Network.setCookieControls", { enableThirdPartyCookieRestriction: true });
      const seen = watch(page);
      await page.goto(`${site.origin}/${id}.html`);
      return { page, seen };
    }

    /** SIGKILLs instance `index` and starts it again on its port, with its INSTANCE_ID. */
    async function replace(index: number): Promise<void> {
      const dead = cluster.instances[index];
      await dead.stop();
      cluster.instances[index] = await startProcessInstance({
        ...env,
        REDIS_URL: cluster.redis.url,
        INSTANCE_ID: `i${index}`,
        PORT: new URL(dead.url).port,
      });
    }

    it("shows every update within 5 s, with no cookie and no unknown session, and survives its instance's SIGKILL", async () => {
      const id = `x${kind}${Date.now().toString(36)}`;
      await publish({ id, ...teams, status: "live", minute: 1 });
      const { page, seen } = await embed(id);
      await painted(page, id, 1);
      await widgetSays(page, id, { state: "live", transport: "polling" });

      for (let goal = 1; goal <= 10; goal++) {
        const started = now();
        const match = await publish({ id, home: { score: goal }, minute: goal });
        expect((await painted(page, id, match.version)) - started, `update ${goal}`).to.be.below(
          5000,
        );
      }

      const recoveries: number[] = [];
      let score = 10;
      for (let round = 0; round < ROUNDS; round++) {
        const owner = Number(instanceOfSession(seen.sid)!.slice(1));
        const killedAt = now();
        cluster.instances[owner].signal("SIGKILL");
        const latest = await publish({ id, home: { score: ++score } }, (owner + 1) % 3);
        const shownAt = await painted(page, id, latest.version);
        await widgetSays(page, id, { state: "live", transport: "polling" });
        recoveries.push(shownAt - killedAt);
        expect(shownAt - killedAt, `round ${round + 1}: SIGKILL to live again`).to.be.below(10_000);
        expect(await widgetText(page, id)).to.match(
          new RegExp(`Ajax\\s+${score}\\s+–\\s+0\\s+PSV`),
        );
        await replace(owner);
      }
      const sorted = [...recoveries].sort((a, b) => a - b);
      console.log(
        `      ${kind}: SIGKILL → live again over polling (ms): median ` +
          `${sorted[Math.floor(ROUNDS / 2)].toFixed(0)}, all ${recoveries.map((ms) => ms.toFixed(0)).join(", ")}; ` +
          `"Session ID unknown" answers: ${seen.unknownSession}`,
      );
      expect(seen.unknownSession, '"Session ID unknown" answers').to.equal(0);
      expect(seen.cookies, "cookies set or sent").to.equal(0);
      expect(await page.context().cookies()).to.deep.equal([]);
    });
  });
}
