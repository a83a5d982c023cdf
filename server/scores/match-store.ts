import type { Match, MatchId, MatchUpdate } from "../../contract/index.js";

export interface PublishResult {
  match: Match;
  /** False when the update changed nothing: no new version, nothing to broadcast. */
  changed: boolean;
}

/** Where matches live: memory (one instance) or Redis (any number). */
export interface MatchStore {
  get(id: MatchId): Promise<Match | undefined>;
  /** The listed matches that exist, in the order given. */
  getMany(ids: readonly MatchId[]): Promise<Match[]>;
  list(): Promise<Match[]>;
  /** The current version of each listed match (0 when it does not exist). */
  versions(ids: readonly MatchId[]): Promise<Map<MatchId, number>>;
  /**
   * Applies a partial update atomically: versions grow by exactly one per
   * accepted change, however many instances publish at once.
   * @throws AppError `conflict` or `bad_request`
   */
  publish(update: MatchUpdate): Promise<PublishResult>;
}
