import type { ScoresFeed } from "../../client/index.js";
import type { Output } from "../output/output.js";
import { LiveRegion } from "../output/live-region.js";
import { scoreTable } from "./score-table.js";
import type { Selection } from "./selection.js";

/** Lines of the region that are not match rows: the header, "N more", a gap and the status. */
const OTHER_LINES = 4;
/** When the terminal does not say how tall it is. */
const DEFAULT_ROWS = 24;

/**
 * The score table `watch` keeps at the bottom of a terminal, cut to its
 * height (a region taller than the screen cannot be redrawn in place).
 * Returns the redraw for a new state and the setter of the status line;
 * the states of one answer (up to a thousand with `--all`) draw once.
 */
export function liveTable(output: Output, selection: Selection, feed: ScoresFeed) {
  const region = new LiveRegion(output.stdout);
  let statusLine = "";
  const redraw = () => {
    const ids = selection.order();
    const shown = ids.slice(0, Math.max(1, (output.stdout.rows || DEFAULT_ROWS) - OTHER_LINES));
    const more = ids.length - shown.length;
    region.draw([
      ...scoreTable(output, shown, (id) => feed.latest(id)),
      ...(more > 0 ? [output.paint("dim", `… ${more} more`)] : []),
      "",
      statusLine,
    ]);
  };
  let pending = false;
  const schedule = () => {
    if (pending) return;
    pending = true;
    setImmediate(() => {
      pending = false;
      redraw();
    });
  };
  const draw = (line: string) => {
    statusLine = line;
    redraw();
  };
  return { redraw: schedule, draw };
}
