import type { MatchListener, ScoresFeed } from "../../client/index.js";
import type { Match, MatchId } from "../../contract/index.js";

/** What `watch` follows, and the order its table lists it in. */
export interface Selection {
  follow(feed: ScoresFeed, onMatch: MatchListener): Promise<void>;
  /** The matches to list, first ones first. */
  order(): MatchId[];
}

/** The ids given, in the order given, created or not. */
export function byIds(ids: readonly MatchId[]): Selection {
  return {
    follow: (feed, onMatch) => feed.follow(ids, onMatch),
    order: () => [...ids],
  };
}

/** Every match, the most recently updated first: what is happening now stays on screen. */
export function everyMatch(): Selection {
  const seen = new Map<MatchId, Match>();
  return {
    follow: (feed, onMatch) =>
      feed.followAll((match) => {
        seen.set(match.id, match);
        onMatch(match);
      }),
    order: () =>
      [...seen.values()]
        .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
        .map((match) => match.id),
  };
}
