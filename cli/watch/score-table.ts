import { clockText } from "../../client/ui/match-format.js";
import type { Match, MatchId } from "../../contract/index.js";
import { clockStyle, scoreText } from "../output/match-text.js";
import type { Output, Style } from "../output/output.js";
import { printable } from "../output/printable.js";

interface Cell {
  text: string;
  style?: Style;
}

const HEADERS = ["MATCH", "HOME", "SCORE", "AWAY", "CLOCK", "VERSION"];

const width = (text: string) => [...text].length;

function cells(id: MatchId, match: Match | undefined): Cell[] {
  if (!match) return [{ text: id }, { text: "not created yet", style: "dim" }];
  return [
    { text: id },
    { text: printable(match.home.name) },
    { text: scoreText(match), style: "bold" },
    { text: printable(match.away.name) },
    { text: clockText(match), style: clockStyle(match) },
    { text: String(match.version), style: "dim" },
  ];
}

/** The table `watch` keeps on a terminal: one row per match, in the order asked for. */
export function scoreTable(
  output: Output,
  ids: readonly MatchId[],
  latest: (id: MatchId) => Match | undefined,
): string[] {
  const rows = [
    HEADERS.map((text): Cell => ({ text, style: "dim" })),
    ...ids.map((id) => cells(id, latest(id))),
  ];
  const widths = HEADERS.map((_, column) =>
    Math.max(...rows.map((row) => width(row[column]?.text ?? ""))),
  );
  // Padded before painting, so colour codes take no room.
  return rows.map((row) =>
    row
      .map(({ text, style }, column) => {
        const padded = text.padEnd(text.length + widths[column] - width(text));
        return style ? output.paint(style, padded) : padded;
      })
      .join("  ")
      .trimEnd(),
  );
}
