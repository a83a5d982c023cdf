import { expect } from "chai";
import type { Page } from "playwright-core";
import { Chat } from "../../client/chat.js";
import { Connection } from "../../client/connection.js";
import { Instance } from "../support/instances.js";
import { jwtEnv, mintJwt, MODERATOR_TOKEN } from "../support/jwt.js";
import { useBrowser } from "./support/browser.js";
import { MatchPage } from "./support/match-page.js";

let counter = 0;
/** A match id no other test uses. */
const freshId = () => `m${Date.now().toString(36)}${counter++}`;

/** The names of the messages listed with the verified mark. */
const verifiedAuthors = (page: Page) =>
  page
    .locator("#messages li:has(.verified) .author")
    .evaluateAll((names) => names.map((name) => name.textContent));

describe("the match page's verified mark and moderator controls in Chromium", function () {
  this.timeout(60_000);
  const browser = useBrowser();
  let instance: Instance;
  const connections: Connection[] = [];

  before(async () => {
    instance = await Instance.start({ env: jwtEnv });
  });
  afterEach(() => connections.splice(0).forEach((connection) => connection.close()));
  after(() => instance.close());

  it("marks verified senders; a moderator's delete empties every page of it, and a mute refuses the next send", async () => {
    const id = freshId();
    const ana = new Connection(instance.url, {
      jwt: await mintJwt({ sub: "site:ana", name: "Ana" }),
    });
    connections.push(ana);
    const signed = new Chat(ana).join(`match:${id}`, { onMessage: () => {} });
    const fan = await MatchPage.open(await browser.page(), instance.url, id);
    const moderator = await MatchPage.open(await browser.page(), instance.url, id);
    await fan.pickName("Ben");
    await fan.send("Hello from a guest");
    await signed.send("Hello from a signed-in fan");
    await fan.send("spam spam spam");
    await Promise.all([fan.waitForMessages(3), moderator.waitForMessages(3)]);
    expect(await verifiedAuthors(fan.page)).to.deep.equal(["Ana"]);
    expect(await fan.page.locator(".verified").first().innerText()).to.equal("✓ verified");

    await moderator.signInAsModerator(MODERATOR_TOKEN);
    await moderator.page.locator("#moderation-state", { hasText: "moderating" }).waitFor();
    expect(await fan.page.locator("#messages button").count()).to.equal(0);
    await moderator.page.getByRole("button", { name: "Delete message by Ben" }).last().click();
    const kept = [
      [1, "Ben", "Hello from a guest"],
      [2, "Ana", "Hello from a signed-in fan"],
    ];
    for (const page of [fan, moderator]) {
      await page.page.locator("#messages li[data-seq='3']").waitFor({ state: "detached" });
      expect(await page.messages()).to.deep.equal(kept);
    }
    // A page opened afterwards gets the tombstone in its history, and shows nothing of it.
    const late = await MatchPage.open(await browser.page(), instance.url, id);
    await late.waitForMessages(2);
    expect(await late.messages()).to.deep.equal(kept);

    const before = Date.now();
    await moderator.page.getByRole("button", { name: "Mute 10 min: Ben" }).click();
    await moderator.page.locator("#moderation-state", { hasText: "Ben is muted here" }).waitFor();
    await fan.send("let me talk");
    const refusal = await fan.page.locator("#send-state[data-state=failed]").innerText();
    const until = Date.parse(/muted until (\S+)/.exec(refusal)?.[1] ?? "");
    expect(until - before, refusal).to.be.within(10 * 60_000 - 1000, 10 * 60_000 + 5000);
    await signed.send("Verified and not muted");
    await fan.waitForMessages(3);
    expect((await fan.messages()).map(([, name]) => name)).to.deep.equal(["Ben", "Ana", "Ana"]);
  });

  it("offers no controls for a refused token", async () => {
    const page = await MatchPage.open(await browser.page(), instance.url, freshId());
    await page.signInAsModerator("not-a-moderator-token");
    await page.page.locator("#moderation-state", { hasText: "That token was refused." }).waitFor();
    expect(await page.page.getByLabel("Moderator token").isVisible()).to.equal(true);
  });
});
