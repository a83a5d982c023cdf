import type { MatchId } from "../../contract/index.js";
import { Connection } from "../connection.js";
import { fetchMatches } from "../http-api.js";
import { ScoresFeed } from "../scores-feed.js";
import { h } from "../ui/h.js";
import { showStatus } from "../ui/status-line.js";
import { MATCH_ATTRIBUTE, mountMatchWidget } from "../widget/match-widget.js";
import { byId } from "./dom.js";
import { storedUserId } from "./stored-identity.js";

/**
 * The contract has no event for "a match was created", so the list of
 * matches is fetched again now and then (and after every reconnection);
 * the scores themselves are live.
 */
const LIST_REFRESH_MS = 60_000;

const connection = new Connection(location.origin, { userId: storedUserId() });
const feed = new ScoresFeed(connection);
const list = byId("matches");
const notice = byId("notice");
const shown = new Set<MatchId>();

function add(id: MatchId): void {
  shown.add(id);
  const host = h("div", { [MATCH_ATTRIBUTE]: id });
  const link = h(
    "a",
    { class: "match-link", href: `match.html?id=${encodeURIComponent(id)}` },
    host,
  );
  list.append(h("li", {}, link));
  mountMatchWidget(host, connection, feed, { status: false });
}

async function refresh(): Promise<void> {
  try {
    const matches = await fetchMatches(location.origin);
    // The snapshot renders at once; the subscription then asks only for newer versions.
    feed.prime(matches);
    for (const match of matches) if (!shown.has(match.id)) add(match.id);
    notice.textContent = shown.size === 0 ? "No matches yet." : "";
  } catch (err) {
    notice.textContent = `Could not load the matches: ${(err as Error).message}`;
  }
}

byId("embed-code").textContent =
  `<div ${MATCH_ATTRIBUTE}="MATCH_ID"></div>\n` +
  `<script src="${location.origin}/widget.js" async></script>`;
showStatus(connection, byId("connection"));
let wasLive = false;
connection.onStatus(({ state }) => {
  if (state === "live" && !wasLive && shown.size > 0) void refresh();
  wasLive = state === "live";
});
void refresh();
setInterval(() => void refresh(), LIST_REFRESH_MS);
