import type { Connection } from "../connection.js";
import type { ScoresFeed } from "../scores-feed.js";
import { h } from "../ui/h.js";
import { MatchView } from "../ui/match-view.js";
import { showStatus } from "../ui/status-line.js";
import { WIDGET_CSS } from "./widget-styles.js";

/** The attribute a site owner puts on an element to get a live score in it. */
export const MATCH_ATTRIBUTE = "data-matchday-match";

export interface MatchWidgetOptions {
  /** Show the connection line under the score. @default true */
  status?: boolean;
}

let sheet: CSSStyleSheet | undefined;

/**
 * Constructed once and shared by every widget of the page; unlike a
 * `<style>` element, a constructed sheet is not blocked by a host page's
 * Content-Security-Policy without 'unsafe-inline'.
 */
function styles(root: ShadowRoot): void {
  if ("adoptedStyleSheets" in root && "replaceSync" in CSSStyleSheet.prototype) {
    if (!sheet) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(WIDGET_CSS);
    }
    root.adoptedStyleSheets = [sheet];
  } else {
    root.append(h("style", {}, WIDGET_CSS));
  }
}

/**
 * Renders the live score of the match named by `host`'s attribute into a
 * shadow root of `host`, and mirrors the state in `data-matchday-*`
 * attributes on `host` (state, transport, version) for scripts and tests.
 */
export function mountMatchWidget(
  host: HTMLElement,
  connection: Connection,
  feed: ScoresFeed,
  { status = true }: MatchWidgetOptions = {},
): void {
  const id = host.getAttribute(MATCH_ATTRIBUTE) ?? "";
  const root = host.attachShadow({ mode: "open" });
  styles(root);
  const view = new MatchView(id);
  const line = h("p", { class: "status" });
  root.append(h("div", { class: "card", part: "card" }, view.element, ...(status ? [line] : [])));
  showStatus(connection, line);
  connection.onStatus(({ state, transport, retrying, error }) => {
    host.dataset.matchdayState = state;
    host.dataset.matchdayTransport = transport ?? "";
    // Given up for good (the status line says why): no score is on its way.
    if (!retrying && error) view.fail("No live scores here");
  });
  feed
    .follow([id], (match) => {
      view.update(match);
      host.dataset.matchdayVersion = String(match.version);
    })
    .catch((err: Error) => view.fail(err.message));
}
