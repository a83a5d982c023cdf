import { expect } from "chai";
import { fetchMatch, putMatch } from "../../client/http-api.js";
import { DEFAULT_LIMITS } from "../../contract/index.js";
import { Instance, PUBLISH_TOKEN } from "../support/instances.js";
import { useBrowser } from "./support/browser.js";

let counter = 0;
/** A match id no other test uses. */
const freshId = () => `p${Date.now().toString(36)}${counter++}`;

describe("the home page and the publisher console in Chromium", function () {
  this.timeout(60_000);
  const browser = useBrowser();
  let instance: Instance;

  before(async () => {
    instance = await Instance.start();
  });
  after(() => instance.close());

  it("lists the matches, keeps their scores live and links to each match page", async () => {
    const [first, second] = [freshId(), freshId()];
    await putMatch(instance.url, PUBLISH_TOKEN, {
      id: first,
      home: { name: "Ajax" },
      away: { name: "PSV" },
    });
    await putMatch(instance.url, PUBLISH_TOKEN, {
      id: second,
      home: { name: "Celtic" },
      away: { name: "Rangers" },
    });
    const page = await browser.page();
    await page.goto(`${instance.url}/`);
    const card = page.locator(`a:has([data-matchday-match="${second}"])`);
    await card.locator(".name.away", { hasText: "Rangers" }).waitFor();
    expect(
      await page.locator(`[data-matchday-match="${first}"] .name.home`).textContent(),
    ).to.equal("Ajax");

    await page.locator("#connection[data-state=live]").waitFor();
    await putMatch(instance.url, PUBLISH_TOKEN, { id: second, away: { score: 3 } });
    await card.locator(".score.away", { hasText: "3" }).waitFor();

    await card.click();
    await page.waitForURL(`**/match.html?id=${second}`);
    await page.locator("h1", { hasText: "Celtic v Rangers" }).waitFor();
  });

  it("adds a match created after the page loaded, live, without a reload or polling", async () => {
    const [listed, created] = [freshId(), freshId()];
    await putMatch(instance.url, PUBLISH_TOKEN, {
      id: listed,
      home: { name: "Ajax" },
      away: { name: "PSV" },
    });
    const page = await browser.page();
    const apiCalls: string[] = [];
    page.on("request", (request) => {
      if (new URL(request.url()).pathname.startsWith("/api/")) apiCalls.push(request.url());
    });
    await page.goto(`${instance.url}/`);
    await page.locator(`[data-matchday-match="${listed}"][data-matchday-version="1"]`).waitFor();
    await page.locator("#connection[data-state=live]").waitFor();

    await putMatch(instance.url, PUBLISH_TOKEN, {
      id: created,
      home: { name: "Feyenoord" },
      away: { name: "Utrecht" },
    });
    const card = page.locator(`[data-matchday-match="${created}"]`);
    await card.locator(".name.home", { hasText: "Feyenoord" }).waitFor();
    await putMatch(instance.url, PUBLISH_TOKEN, { id: created, home: { score: 1 } });
    await card.locator(".score.home", { hasText: "1" }).waitFor();

    const ids = await page
      .locator("#matches [data-matchday-match]")
      .evaluateAll((hosts) => hosts.map((host) => host.getAttribute("data-matchday-match")));
    expect(ids[0], "the newest match goes first").to.equal(created);
    expect(ids).to.include(listed);
    expect(apiCalls, "the list comes over the socket").to.deep.equal([]);
  });

  it("lists more matches than one socket may follow by id", async () => {
    const ids = Array.from({ length: DEFAULT_LIMITS.matchesPerSocket + 1 }, freshId);
    for (const id of ids) {
      await putMatch(instance.url, PUBLISH_TOKEN, {
        id,
        home: { name: "Home" },
        away: { name: "Away" },
      });
    }
    const page = await browser.page();
    await page.goto(`${instance.url}/`);
    await page.locator(`[data-matchday-match="${ids[0]}"][data-matchday-version="1"]`).waitFor();
    const shown = await page
      .locator("#matches [data-matchday-version]")
      .evaluateAll((hosts) => hosts.map((host) => host.getAttribute("data-matchday-match")));
    expect(shown).to.include.members(ids);
  });

  it("publishes with a token kept out of the URL, and refuses a wrong one", async () => {
    const id = freshId();
    const page = await browser.page();
    await page.goto(`${instance.url}/publish.html`);
    const token = page.getByLabel("Publish token");
    await token.fill("not-the-token");
    await page.getByRole("button", { name: "Connect" }).click();
    await page.locator("#token-state", { hasText: "That token was refused." }).waitFor();

    await token.fill(PUBLISH_TOKEN);
    await page.getByLabel("Keep it for this tab").check();
    await page.getByRole("button", { name: "Connect" }).click();
    await page.getByLabel("Match id").fill(id);
    await page.getByRole("group", { name: "Home" }).getByLabel("Team").fill("Ajax");
    await page.getByRole("group", { name: "Away" }).getByLabel("Team").fill("PSV");
    await page.getByLabel("Status").selectOption("live");
    await page.getByLabel("Minute").fill("12");
    await page.getByRole("button", { name: "Publish" }).click();
    await page.locator("#publish-state", { hasText: "Published: version 1." }).waitFor();
    await page.locator(`#preview [data-matchday-version="1"]`).waitFor();

    await page
      .getByRole("group", { name: "Home" })
      .getByRole("button", { name: "Goal +1" })
      .click();
    await page.locator("#publish-state", { hasText: "Published: version 2." }).waitFor();
    const match = await fetchMatch(instance.url, id);
    expect(match).to.deep.include({ home: { name: "Ajax", score: 1 }, status: "live", minute: 12 });

    expect(page.url()).to.not.contain(PUBLISH_TOKEN);
    const stored = await page.evaluate(() => [
      sessionStorage.getItem("matchday:publishToken"),
      JSON.stringify(localStorage),
    ]);
    expect(stored[0]).to.equal(PUBLISH_TOKEN);
    expect(stored[1]).to.not.contain(PUBLISH_TOKEN);
    // The tab remembers it: a reload signs in by itself.
    await page.reload();
    await page.getByLabel("Match id").waitFor();
  });
});
