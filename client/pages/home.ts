import type { Match, MatchId } from "../../contract/index.js";
import { Connection } from "../connection.js";
import { ScoresFeed } from "../scores-feed.js";
import { h } from "../ui/h.js";
import { MatchView } from "../ui/match-view.js";
import { showStatus } from "../ui/status-line.js";
import { MATCH_ATTRIBUTE } from "../widget/match-widget.js";
import { WIDGET_CSS } from "../widget/widget-styles.js";
import { byId } from "./dom.js";
import { storedUserId } from "./stored-identity.js";

/**
 * The live match list: one `subscribe_all` brings the most recently updated
 * matches and then every change, creations included, so nothing is polled
 * and the list needs none of the per-socket subscriptions by id.
 */
const connection = new Connection(location.origin, { userId: storedUserId() });
const list = byId("matches");
const notice = byId("notice");
const fail = (err: Error) => (notice.textContent = `Could not load the matches: ${err.message}`);
const feed = new ScoresFeed(connection, { onError: fail });
const cards = new Map<MatchId, { host: HTMLElement; view: MatchView }>();

/** The embeddable widget's look, one sheet shared by every card. */
const cardStyles = new CSSStyleSheet();
cardStyles.replaceSync(WIDGET_CSS);

/**
 * A card for a match first seen at `match`: newest first, by that state's
 * time, so a match created later goes on top and cards never move after.
 */
function addCard(match: Match): { host: HTMLElement; view: MatchView } {
  const view = new MatchView(match.id);
  const host = h("div", { [MATCH_ATTRIBUTE]: match.id });
  const root = host.attachShadow({ mode: "open" });
  root.adoptedStyleSheets = [cardStyles];
  root.append(h("div", { class: "card", part: "card" }, view.element));
  const href = `match.html?id=${encodeURIComponent(match.id)}`;
  const item = h(
    "li",
    { "data-since": match.updatedAt },
    h("a", { class: "match-link", href }, host),
  );
  const older = [...list.querySelectorAll<HTMLElement>(":scope > li")].find(
    (other) => other.dataset.since! < match.updatedAt,
  );
  list.insertBefore(item, older ?? null);
  notice.textContent = "";
  return { host, view };
}

function show(match: Match): void {
  const card = cards.get(match.id) ?? addCard(match);
  cards.set(match.id, card);
  card.view.update(match);
  card.host.dataset.matchdayVersion = String(match.version);
}

async function follow(): Promise<void> {
  // Following once live makes the answer tell whether there are no matches;
  // while the connection is down (its line says so) the feed asks on connect.
  await connection.ready().catch(() => undefined);
  try {
    await feed.followAll(show);
    if (connection.status.state === "live" && cards.size === 0) {
      notice.textContent = "No matches yet.";
    }
  } catch (err) {
    fail(err as Error);
  }
}

byId("embed-code").textContent =
  `<div ${MATCH_ATTRIBUTE}="MATCH_ID"></div>\n` +
  `<script src="${location.origin}/widget.js" async></script>`;
showStatus(connection, byId("connection"));
void follow();
