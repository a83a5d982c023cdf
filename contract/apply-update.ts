import { AppError } from "./app-error.js";
import type { Match, MatchUpdate, Team } from "./models.js";

export interface PublishResult {
  match: Match;
  /** False when the update changed nothing: no new version, nothing to broadcast. */
  changed: boolean;
}

/**
 * The one definition of what a publish does to a match, shared by both
 * stores: partial fields merge into the current state; a change bumps the
 * version and `updatedAt`; no change bumps nothing.
 */
export function applyUpdate(
  current: Match | undefined,
  update: MatchUpdate,
  now: Date,
): PublishResult {
  const version = current?.version ?? 0;
  if (update.expectedVersion !== undefined && update.expectedVersion !== version) {
    throw new AppError(
      "conflict",
      `expected version ${update.expectedVersion}, but match ${update.id} is at version ${version}`,
    );
  }
  if (!current) {
    const homeName = update.home?.name;
    const awayName = update.away?.name;
    if (homeName === undefined || awayName === undefined) {
      throw new AppError(
        "bad_request",
        `match ${update.id} does not exist; creating it needs home.name and away.name`,
      );
    }
    return {
      changed: true,
      match: {
        id: update.id,
        home: { name: homeName, score: update.home?.score ?? 0 },
        away: { name: awayName, score: update.away?.score ?? 0 },
        status: update.status ?? "scheduled",
        minute: update.minute ?? null,
        version: 1,
        updatedAt: now.toISOString(),
      },
    };
  }
  const home = mergeTeam(current.home, update.home);
  const away = mergeTeam(current.away, update.away);
  const status = update.status ?? current.status;
  const minute = update.minute === undefined ? current.minute : update.minute;
  const same =
    sameTeam(home, current.home) &&
    sameTeam(away, current.away) &&
    status === current.status &&
    minute === current.minute;
  if (same) return { match: current, changed: false };
  return {
    changed: true,
    match: {
      id: current.id,
      home,
      away,
      status,
      minute,
      version: version + 1,
      updatedAt: now.toISOString(),
    },
  };
}

function mergeTeam(team: Team, patch: Partial<Team> | undefined): Team {
  return { name: patch?.name ?? team.name, score: patch?.score ?? team.score };
}

function sameTeam(a: Team, b: Team): boolean {
  return a.name === b.name && a.score === b.score;
}
