import type { Match, MatchId } from "../../contract/index.js";
import { h } from "./h.js";
import { announcement, clockText, scoreSentence } from "./match-format.js";

/** A highlight, not motion: fine under `prefers-reduced-motion` too. */
const GOAL_FLASH: Keyframe[] = [
  { backgroundColor: "var(--goal, #ffd33d)", color: "#14171a" },
  { backgroundColor: "transparent" },
];
const GOAL_FLASH_MS = 1500;

/** The scoreboard of one match; every string goes in as text. */
export class MatchView {
  readonly element: HTMLElement;
  private readonly homeName = h("span", { class: "name home" });
  private readonly homeScore = h("span", { class: "score home" });
  private readonly awayScore = h("span", { class: "score away" });
  private readonly awayName = h("span", { class: "name away" });
  private readonly clock = h("p", { class: "clock" });
  /** Announces goals and status changes; the rest of the view stays quiet. */
  private readonly live = h("p", { class: "visually-hidden", "aria-live": "polite" });
  private shown: Match | undefined;

  constructor(id: MatchId) {
    this.element = h(
      "div",
      { class: "match", role: "group", "aria-label": `Match ${id}` },
      h(
        "p",
        { class: "teams" },
        this.homeName,
        this.homeScore,
        h("span", { class: "dash", "aria-hidden": "true" }, "–"),
        this.awayScore,
        this.awayName,
      ),
      this.clock,
      this.live,
    );
    this.clock.textContent = "Waiting for this match…";
  }

  update(match: Match): void {
    const before = this.shown;
    this.shown = match;
    this.element.dataset.status = match.status;
    this.element.setAttribute("aria-label", scoreSentence(match));
    this.homeName.textContent = match.home.name;
    this.awayName.textContent = match.away.name;
    this.homeScore.textContent = String(match.home.score);
    this.awayScore.textContent = String(match.away.score);
    this.clock.textContent = clockText(match);
    if (!before) return;
    if (match.home.score > before.home.score) this.homeScore.animate(GOAL_FLASH, GOAL_FLASH_MS);
    if (match.away.score > before.away.score) this.awayScore.animate(GOAL_FLASH, GOAL_FLASH_MS);
    const news = announcement(before, match);
    if (news) this.live.textContent = news;
  }

  /** Replaces the clock line with a problem, e.g. an invalid id. */
  fail(message: string): void {
    this.clock.textContent = message;
  }
}
