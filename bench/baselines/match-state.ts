import type { Match, MatchUpdate } from "../../contract/index.js";

/**
 * The baselines' whole state logic: a partial update merged into the match
 * with the next version, so they broadcast the same `Match` shape (and the
 * same bytes per delivery) as matchday.
 */
export function applyUpdate(current: Match | undefined, update: MatchUpdate): Match {
  return {
    id: update.id,
    home: { name: "", score: 0, ...current?.home, ...update.home },
    away: { name: "", score: 0, ...current?.away, ...update.away },
    status: update.status ?? current?.status ?? "scheduled",
    minute: update.minute !== undefined ? update.minute : (current?.minute ?? null),
    version: (current?.version ?? 0) + 1,
    updatedAt: new Date().toISOString(),
  };
}
