import { expect } from "chai";
import type { Page } from "playwright-core";
import type { MatchUpdate } from "../../contract/index.js";
import { putMatch } from "../../client/http-api.js";
import { Instance, PUBLISH_TOKEN } from "../support/instances.js";
import { RedisServer } from "../support/redis-server.js";
import { Balancer } from "./support/balancer.js";
import { useBrowser } from "./support/browser.js";
import { embedPage, painted, widgetSays, widgetText } from "./support/embed-page.js";
import { HostSite } from "./support/host-site.js";

let counter = 0;
/** A match id no other test uses. */
const freshId = () => `w${Date.now().toString(36)}${counter++}`;
const teams = { home: { name: "Ajax" }, away: { name: "PSV" } };
const now = () => performance.timeOrigin + performance.now();

describe("widget.js in Chromium", function () {
  this.timeout(60_000);
  const browser = useBrowser();
  const pages = new Map<string, string>();
  let site: HostSite;

  before(async () => {
    site = await HostSite.start(pages);
  });
  after(() => site.close());

  /** Opens the embed snippet for `ids` on the third-party site. */
  async function embed(serviceUrl: string, ids: string[], head = ""): Promise<Page> {
    const path = `/${ids.join("-")}.html`;
    pages.set(path, embedPage(serviceUrl, ids, head));
    const page = await browser.page();
    await page.goto(site.origin + path);
    return page;
  }

  describe("served by one instance to another origin", () => {
    let instance: Instance;
    const publish = (update: MatchUpdate) => putMatch(instance.url, PUBLISH_TOKEN, update);

    before(async () => {
      instance = await Instance.start({ env: { CORS_ORIGINS: site.origin } });
    });
    after(() => instance.close());

    it("repaints every score published over HTTP, flashes goals and announces them", async () => {
      const id = freshId();
      await publish({ id, ...teams, status: "live", minute: 1 });
      const page = await embed(instance.url, [id]);
      await painted(page, id, 1);
      await widgetSays(page, id, { state: "live", transport: "websocket" });
      expect(await widgetText(page, id)).to.match(
        /Ajax\s+0\s+–\s+0\s+PSV\s+1′\s+Live updates · WebSocket/,
      );

      const delays: number[] = [];
      for (let goal = 1; goal <= 5; goal++) {
        const started = now();
        const match = await publish({ id, home: { score: goal }, minute: goal * 10 });
        delays.push((await painted(page, id, match.version)) - started);
      }
      delays.sort((a, b) => a - b);
      console.log(
        `      publish → repaint (ms): median ${delays[2].toFixed(1)}, ` +
          `all ${delays.map((d) => d.toFixed(1)).join(", ")}`,
      );
      const widget = page.locator(`[data-matchday-match="${id}"]`);
      expect(
        await widget.locator(".score.home").evaluate((el) => el.getAnimations().length),
      ).to.be.above(0);
      expect(await widget.locator("[aria-live=polite]").textContent()).to.equal(
        "Goal for Ajax! Ajax 5, PSV 0",
      );
      expect(await widgetText(page, id)).to.match(/Ajax\s+5\s+–\s+0\s+PSV\s+50′/);
    });

    it("waits for a match that does not exist yet, and for elements added later", async () => {
      const [early, late] = [freshId(), freshId()];
      const page = await embed(instance.url, [early]);
      await widgetSays(page, early, { state: "live" });
      expect(await widgetText(page, early)).to.contain("Waiting for this match");
      await publish({ id: early, ...teams });
      await painted(page, early, 1);

      await page.evaluate((id) => {
        const slot = document.createElement("div");
        slot.dataset.matchdayMatch = id;
        document.body.append(slot);
      }, late);
      await publish({ id: late, home: { name: "Celtic" }, away: { name: "Rangers" } });
      await painted(page, late, 1);
      expect(await widgetText(page, late)).to.match(/Celtic\s+0\s+–\s+0\s+Rangers/);
    });

    it("renders names as text and keeps its styles apart from the host page's", async () => {
      const id = freshId();
      const evil = `<img src=x onerror="window.hacked=1">`;
      await publish({ id, home: { name: evil }, away: { name: "PSV" } });
      const hostile = `<style>
        div { color: rgb(255, 0, 0) !important; font: 40px serif !important; }
        span { display: none !important; }
        .clock { text-align: right; }
      </style>`;
      const page = await embed(instance.url, [id], hostile);
      await page.evaluate(() =>
        document.body.append(
          Object.assign(document.createElement("p"), { className: "clock", id: "own" }),
        ),
      );
      await painted(page, id, 1);
      const widget = page.locator(`[data-matchday-match="${id}"]`);
      expect(await widget.locator(".name.home").textContent()).to.equal(evil);
      expect(await widget.locator("img").count()).to.equal(0);
      expect(await page.evaluate(() => "hacked" in window)).to.equal(false);
      // The host's rules do not reach in...
      const name = widget.locator(".name.away");
      expect(await name.isVisible()).to.equal(true);
      expect(await name.evaluate((el) => getComputedStyle(el).color)).to.not.equal(
        "rgb(255, 0, 0)",
      );
      expect(await name.evaluate((el) => getComputedStyle(el).fontSize)).to.equal("15px");
      // ...and the widget's rules do not leak out.
      expect(await page.locator("#own").evaluate((el) => getComputedStyle(el).textAlign)).to.equal(
        "right",
      );
    });
  });

  describe("behind a balancer, on Redis", () => {
    let redis: RedisServer;
    let balancer: Balancer;
    let spare: Instance;
    let current: Instance;
    const publish = (update: MatchUpdate) => putMatch(spare.url, PUBLISH_TOKEN, update);

    before(async () => {
      redis = await RedisServer.start();
      const env = { CORS_ORIGINS: site.origin };
      [current, spare] = await Instance.cluster(redis.url, 2, env);
      balancer = await Balancer.start(current.url);
    });
    after(async () => {
      await balancer.close();
      await Promise.all([current.close(), spare.close()]);
      await redis.stop();
    });

    it("falls back to long polling when WebSocket is refused, and says so", async () => {
      const id = freshId();
      await publish({ id, ...teams });
      balancer.blockWebSocket = true;
      const page = await embed(balancer.url, [id]);
      await widgetSays(page, id, { state: "live", transport: "polling" });
      expect(await widgetText(page, id)).to.contain("Live updates · long polling");
      const match = await publish({ id, away: { score: 1 } });
      await painted(page, id, match.version);
      expect(await widgetText(page, id)).to.match(/Ajax\s+0\s+–\s+1\s+PSV/);

      // Once WebSocket gets through again, the next session upgrades to it.
      balancer.blockWebSocket = false;
      balancer.cutAll();
      await widgetSays(page, id, { state: "live", transport: "websocket" });
      const next = await publish({ id, away: { score: 2 } });
      await painted(page, id, next.version);
    });

    it("recovers when its instance is replaced behind the same address, with the latest score", async () => {
      const id = freshId();
      await publish({ id, ...teams, status: "live", minute: 80 });
      const page = await embed(balancer.url, [id]);
      await painted(page, id, 1);
      await widgetSays(page, id, { state: "live" });

      balancer.target = undefined;
      await current.close();
      await widgetSays(page, id, { state: "offline" });
      expect(await widgetText(page, id)).to.contain("Offline · retrying");
      // Changed while the widget could not hear it: it must come with the resubscription.
      const missed = await publish({ id, home: { score: 1 }, minute: 85 });

      current = await Instance.start({ redisUrl: redis.url, env: { CORS_ORIGINS: site.origin } });
      balancer.target = new URL(current.url);
      await painted(page, id, missed.version);
      await widgetSays(page, id, { state: "live" });
      const after = await publish({ id, home: { score: 2 }, minute: 89 });
      await painted(page, id, after.version);
      expect(await widgetText(page, id)).to.match(/Ajax\s+2\s+–\s+0\s+PSV\s+89′/);
    });
  });
});
