import type { Match } from "../../contract/index.js";
import { clockText } from "../../client/ui/match-format.js";
import type { Output, Style } from "./output.js";
import { printable } from "./printable.js";

const CLOCK_STYLES: Record<Match["status"], Style> = {
  scheduled: "dim",
  live: "green",
  halftime: "yellow",
  finished: "dim",
};

/** The style of a match's clock ("67′", "Half-time"): its status at a glance. */
export const clockStyle = (match: Match): Style => CLOCK_STYLES[match.status];

export const scoreText = (match: Match) => `${match.home.score}–${match.away.score}`;

/** One line per state: "derby  Arsenal 2–1 Tottenham  67′  v12". */
export function matchLine(output: Output, match: Match): string {
  const score = output.paint("bold", scoreText(match));
  const clock = output.paint(clockStyle(match), clockText(match));
  const version = output.paint("dim", `v${match.version}`);
  const teams = `${printable(match.home.name)} ${score} ${printable(match.away.name)}`;
  return `${match.id}  ${teams}  ${clock}  ${version}`;
}
