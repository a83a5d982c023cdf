import { expect } from "chai";
import { ORIGIN_REFUSED } from "../../client/connection.js";
import { ServiceProcess } from "../../scripts/service-process.js";
import { eventually } from "../support/wait.js";
import { useBrowser } from "./support/browser.js";
import { embedPage, widgetSays, widgetText } from "./support/embed-page.js";
import { HostSite } from "./support/host-site.js";

/** Pino's level number for `warn`. */
const WARN = 40;

describe("widget.js on a site missing from CORS_ORIGINS", function () {
  this.timeout(60_000);
  const browser = useBrowser();
  const pages = new Map<string, string>();
  let site: HostSite;
  let service: ServiceProcess;

  before(async () => {
    site = await HostSite.start(pages);
    // A process, as operators run it: what it logs is the point.
    service = await ServiceProcess.start({});
  });
  after(async () => {
    await service?.stop();
    await site?.close();
  });

  const warningsAbout = (origin: string) =>
    service.logs
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line))
      .filter((entry) => entry.level === WARN && entry.origin === origin);

  it("says why it is offline instead of retrying, and the log says what to set, once", async () => {
    pages.set("/blog.html", embedPage(service.url, ["m1"]));
    for (let visit = 0; visit < 2; visit++) {
      const page = await browser.page();
      await page.goto(`${site.origin}/blog.html`);
      await widgetSays(page, "m1", { state: "offline" });
      const text = await widgetText(page, "m1");
      expect(text).to.contain(`Offline · ${ORIGIN_REFUSED}`).and.not.contain("Waiting");
    }

    // Another origin's warning comes after every line the visits caused.
    const marker = "https://marker.example";
    await fetch(`${service.url}/socket.io/?EIO=4&transport=polling`, {
      headers: { origin: marker },
    });
    await eventually("a warning about the marker origin", () => warningsAbout(marker).length > 0);
    const warnings = warningsAbout(site.origin);
    expect(warnings).to.have.lengthOf(1);
    expect(warnings[0]).to.include({ reason: "origin not allowed", variable: "CORS_ORIGINS" });
    expect(warnings[0].msg).to.contain(site.origin).and.to.contain("CORS_ORIGINS");
  });
});
