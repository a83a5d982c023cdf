import type { PublishResult } from "../../contract/apply-update.js";
import type { Match, MatchId, MatchUpdate } from "../../contract/index.js";

/**
 * A match's place in the order of all accepted changes: every change gives
 * its match a rank above every rank given before, so the highest ranks are
 * the most recently updated matches.
 */
export type Rank = number;

export interface RankedMatch {
  match: Match;
  rank: Rank;
}

/** Where matches live: memory (one instance) or Redis (any number). */
export interface MatchStore {
  get(id: MatchId): Promise<Match | undefined>;
  /** The listed matches that exist, in the order given. */
  getMany(ids: readonly MatchId[]): Promise<Match[]>;
  list(): Promise<Match[]>;
  /**
   * The current version of each listed match (0 when it does not exist); a
   * match whose shard does not answer is left out, for the next sweep.
   */
  versions(ids: readonly MatchId[]): Promise<Map<MatchId, number>>;
  /** On a Redis Cluster, the hash tag of the slot that holds the match. */
  slotTag?(id: MatchId): string;
  /** The `limit` most recently updated matches, newest first. */
  recent(limit: number): Promise<RankedMatch[]>;
  /**
   * The ids of the matches changed since `rank` was given, with their ranks,
   * ascending; on a cluster also some changed shortly before (shard clocks
   * differ), which callers drop as already delivered.
   */
  changedAfter(rank: Rank): Promise<Array<{ id: MatchId; rank: Rank }>>;
  /**
   * Applies a partial update atomically: versions grow by exactly one per
   * accepted change, however many instances publish at once, and the
   * change ranks the match above all others.
   * @throws AppError `conflict` or `bad_request`
   */
  publish(update: MatchUpdate): Promise<PublishResult>;
}
