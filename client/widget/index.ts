import { Connection } from "../connection.js";
import { ScoresFeed } from "../scores-feed.js";
import { MATCH_ATTRIBUTE, mountMatchWidget } from "./match-widget.js";
import { serviceOrigin } from "./service-origin.js";
import { watchElements } from "./watch-elements.js";

/**
 * The embeddable widget, /widget.js: every `[data-matchday-match]` element
 * of the page (also ones added later) shows that match's live score. One
 * connection serves them all, opened when the first one appears.
 */
const origin = serviceOrigin(document);
let scores: { connection: Connection; feed: ScoresFeed } | undefined;

watchElements(document, `[${MATCH_ATTRIBUTE}]`, (element) => {
  if (!scores) {
    const connection = new Connection(origin);
    scores = { connection, feed: new ScoresFeed(connection) };
  }
  try {
    mountMatchWidget(element, scores.connection, scores.feed);
  } catch (err) {
    // attachShadow refuses some elements (<a>, <td>) and ones that have a shadow root already.
    console.warn("matchday widget: cannot render into", element, err);
  }
});
