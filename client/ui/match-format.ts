import type { Match, MatchStatus } from "../../contract/index.js";

const STATUS_LABELS: Record<MatchStatus, string> = {
  scheduled: "Not started",
  live: "Live",
  halftime: "Half-time",
  finished: "Full-time",
};

/** What the clock line shows: the minute while it runs, otherwise the status. */
export function clockText(match: Match): string {
  return match.status === "live" && match.minute !== null
    ? `${match.minute}′`
    : STATUS_LABELS[match.status];
}

/** "Ajax 2, PSV 1": the score as a sentence, for screen readers. */
export function scoreSentence(match: Match): string {
  return `${match.home.name} ${match.home.score}, ${match.away.name} ${match.away.score}`;
}

/**
 * What a screen reader should hear about a change: goals, corrections and
 * status changes. The running minute is left out on purpose: announcing
 * it every minute would drown everything else.
 */
export function announcement(before: Match, after: Match): string | undefined {
  const score = scoreSentence(after);
  if (after.home.score > before.home.score) return `Goal for ${after.home.name}! ${score}`;
  if (after.away.score > before.away.score) return `Goal for ${after.away.name}! ${score}`;
  if (after.home.score !== before.home.score || after.away.score !== before.away.score) {
    return `Score corrected: ${score}`;
  }
  if (after.status !== before.status) return `${STATUS_LABELS[after.status]}: ${score}`;
  return undefined;
}
