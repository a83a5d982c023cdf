import { expect } from "chai";
import { Chat } from "../../client/chat.js";
import { Connection } from "../../client/connection.js";
import { putMatch } from "../../client/http-api.js";
import { Instance, PUBLISH_TOKEN } from "../support/instances.js";
import { RedisServer } from "../support/redis-server.js";
import { Balancer } from "./support/balancer.js";
import { useBrowser } from "./support/browser.js";
import { MatchPage } from "./support/match-page.js";

let counter = 0;
/** A match id no other test uses. */
const freshId = () => `c${Date.now().toString(36)}${counter++}`;

describe("the match page's chat in Chromium", function () {
  this.timeout(60_000);
  const browser = useBrowser();
  let redis: RedisServer;
  let one: Instance;
  let two: Instance;

  before(async () => {
    redis = await RedisServer.start();
    [one, two] = await Instance.cluster(redis.url, 2);
  });
  after(async () => {
    await Promise.all([one.close(), two.close()]);
    await redis.stop();
  });

  async function openPair(id: string): Promise<[MatchPage, MatchPage]> {
    await putMatch(one.url, PUBLISH_TOKEN, { id, home: { name: "Ajax" }, away: { name: "PSV" } });
    return Promise.all([
      MatchPage.open(await browser.page(), one.url, id),
      MatchPage.open(await browser.page(), two.url, id),
    ]);
  }

  it("carries messages between pages connected to different instances", async () => {
    const id = freshId();
    const [ann, bob] = await openPair(id);
    await Promise.all([ann.waitForOnline(2), bob.waitForOnline(2)]);
    await ann.page.locator("h1", { hasText: "Ajax v PSV" }).waitFor();

    await ann.pickName("Ann");
    await ann.send("Hello from instance one");
    await bob.waitForMessages(1);
    await bob.pickName("Bob");
    await bob.send("Hi Ann, this is instance two");
    await ann.waitForMessages(2);

    const expected = [
      [1, "Ann", "Hello from instance one"],
      [2, "Bob", "Hi Ann, this is instance two"],
    ];
    expect(await ann.messages()).to.deep.equal(expected);
    expect(await bob.messages()).to.deep.equal(expected);
    expect(await ann.page.locator("#messages li.mine").count()).to.equal(1);
    // Picking a name reconnects /chat alone: the scoreboard never gives up.
    for (const page of [ann.page, bob.page]) {
      expect(await page.getByText("No live scores here").count()).to.equal(0);
      await page.locator("[data-matchday-state=live]").first().waitFor();
    }
  });

  it("shows markup in messages and names as text, and runs none of it", async () => {
    const id = freshId();
    const [mallory, reader] = await openPair(id);
    const attacks = [
      `<img src=x onerror="window.hacked=1">`,
      `<script>window.hacked=2</script>`,
      `<a href="javascript:window.hacked=3">click</a>`,
    ];
    await mallory.pickName("<b>Mallory</b>");
    for (const text of attacks) await mallory.send(text);
    await reader.waitForMessages(attacks.length);

    expect(await reader.messages()).to.deep.equal(
      attacks.map((text, i) => [i + 1, "<b>Mallory</b>", text]),
    );
    for (const { page } of [mallory, reader]) {
      expect(
        await page.locator("#messages img, #messages script, #messages a, #messages b").count(),
      ).to.equal(0);
      expect(await page.evaluate(() => "hacked" in window)).to.equal(false);
    }
  });

  it("shows every message once and in order after losing its instance", async () => {
    const id = freshId();
    const room = `match:${id}`;
    const balancer = await Balancer.start(one.url);
    const writer = new Connection(two.url, { name: "Writer" });
    try {
      const reading = await MatchPage.open(await browser.page(), balancer.url, id);
      const writing = new Chat(writer).join(room, { onMessage: () => {} });
      await reading.waitForOnline(2);
      for (let i = 1; i <= 3; i++) await writing.send(`before ${i}`);
      await reading.waitForMessages(3);

      // Instance one is gone for this page; the room goes on through instance two.
      balancer.target = undefined;
      balancer.cutAll();
      await reading.page.locator("#connection[data-state=offline]").waitFor();
      for (let i = 1; i <= 3; i++) await writing.send(`meanwhile ${i}`);
      balancer.target = new URL(two.url);
      await reading.waitForMessages(6);
      for (let i = 1; i <= 2; i++) await writing.send(`after ${i}`);
      await reading.waitForMessages(8);

      const texts = ["before", "meanwhile"].flatMap((w) => [1, 2, 3].map((i) => `${w} ${i}`));
      texts.push("after 1", "after 2");
      expect(await reading.messages()).to.deep.equal(texts.map((t, i) => [i + 1, "Writer", t]));
    } finally {
      writer.close();
      await balancer.close();
    }
  });

  it("tells the person when they send too fast, and keeps their text", async () => {
    const strict = await Instance.start({
      env: { CHAT_MESSAGES_PER_SECOND: "1", CHAT_MESSAGE_BURST: "1" },
    });
    try {
      const page = await MatchPage.open(await browser.page(), strict.url, freshId());
      await page.pickName("Speedy");
      await page.send("first");
      await page.send("second, too soon");
      await page.page.locator("#send-state[data-state=failed]", { hasText: "too fast" }).waitFor();
      expect(await page.page.getByLabel("Message", { exact: true }).inputValue()).to.equal(
        "second, too soon",
      );
      expect((await page.messages()).map(([, , text]) => text)).to.deep.equal(["first"]);
    } finally {
      await strict.close();
    }
  });
});
