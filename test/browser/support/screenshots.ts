import { fileURLToPath } from "node:url";
import { Chat } from "../../../client/chat.js";
import { Connection } from "../../../client/connection.js";
import { putMatch } from "../../../client/http-api.js";
import { Instance, PUBLISH_TOKEN } from "../../support/instances.js";
import { jwtEnv, mintJwt, MODERATOR_TOKEN } from "../../support/jwt.js";
import { launchChromium } from "./browser.js";
import { embedPage, painted } from "./embed-page.js";
import { HostSite } from "./host-site.js";
import { MatchPage } from "./match-page.js";

/**
 * Writes docs/widget.png, docs/match-page.png and docs/match-moderation.png
 * from a real instance and
 * browser: `npm run build && node dist/test/browser/support/screenshots.js`.
 */
const docs = (file: string) => fileURLToPath(new URL(`../../../../docs/${file}`, import.meta.url));

const pages = new Map<string, string>();
const site = await HostSite.start(pages);
const instance = await Instance.start({ env: { CORS_ORIGINS: site.origin, ...jwtEnv } });
const browser = await launchChromium();
// Signed in on the embedding site, so the page marks Sam as verified.
const friend = new Connection(instance.url, {
  jwt: await mintJwt({ sub: "site:sam", name: "Sam" }),
});
try {
  const publish = (update: Parameters<typeof putMatch>[2]) =>
    putMatch(instance.url, PUBLISH_TOKEN, update);
  await publish({ id: "ajax-psv", home: { name: "Ajax" }, away: { name: "PSV" }, status: "live" });
  await publish({ id: "ajax-psv", home: { score: 2 }, away: { score: 1 }, minute: 67 });
  await publish({ id: "celtic-rangers", home: { name: "Celtic" }, away: { name: "Rangers" } });

  pages.set(
    "/blog.html",
    embedPage(
      instance.url,
      ["ajax-psv", "celtic-rangers"],
      "<style>body{font:16px Georgia,serif;margin:24px;max-width:26rem} div{margin:12px 0}</style>",
    ),
  );
  const context = await browser.newContext({
    viewport: { width: 480, height: 340 },
    deviceScaleFactor: 2,
  });
  const blog = await context.newPage();
  await blog.goto(`${site.origin}/blog.html`);
  await painted(blog, "ajax-psv", 2);
  await painted(blog, "celtic-rangers", 1);
  await blog.locator("[data-matchday-state=live]").first().waitFor();
  await blog.screenshot({ path: docs("widget.png") });

  const page = await (
    await browser.newContext({ viewport: { width: 900, height: 820 }, deviceScaleFactor: 1.5 })
  ).newPage();
  const match = await MatchPage.open(page, instance.url, "ajax-psv");
  const room = new Chat(friend).join("match:ajax-psv", { onMessage: () => {} });
  await room.send("What a finish to that move!");
  await match.pickName("Alex");
  await match.send("2–1, and PSV are pushing hard now");
  await room.send("Keeper kept them in it, twice.");
  await match.waitForMessages(3);
  await match.waitForOnline(2);
  await page.screenshot({ path: docs("match-page.png") });

  await match.signInAsModerator(MODERATOR_TOKEN);
  await page.getByRole("button", { name: "Mute 10 min: Sam" }).first().waitFor();
  await page.screenshot({ path: docs("match-moderation.png"), fullPage: true });
  console.log("wrote docs/widget.png, docs/match-page.png and docs/match-moderation.png");
} finally {
  friend.close();
  await browser.close();
  await instance.close();
  await site.close();
}
