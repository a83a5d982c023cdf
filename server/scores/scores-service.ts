import type { Match, MatchId, MatchUpdate } from "../../contract/index.js";
import { storage } from "../deadline.js";
import { AppError } from "../../contract/app-error.js";
import type { MatchStore, RankedMatch } from "./match-store.js";
import type { ScoresRelay } from "./scores-relay.js";

/** The scores operations, shared by the `/scores` namespace and the HTTP API. */
export class ScoresService {
  constructor(
    private readonly store: MatchStore,
    private readonly relay: ScoresRelay,
  ) {}

  /**
   * Stores the update, then broadcasts it. The broadcast follows the write
   * even when the caller was already told `unavailable`: a write that
   * completes late is still a change every subscriber must see.
   */
  publish(update: MatchUpdate): Promise<Match> {
    const stored = this.store.publish(update).then((result) => {
      if (result.changed) this.relay.broadcast(result.match);
      return result.match;
    });
    return storage(stored, "publish");
  }

  list(): Promise<Match[]> {
    return storage(this.store.list(), "listing matches");
  }

  async get(id: MatchId): Promise<Match> {
    const match = await storage(this.store.get(id), "reading the match");
    if (!match) throw new AppError("not_found", `no match ${id}`);
    return match;
  }

  getMany(ids: readonly MatchId[]): Promise<Match[]> {
    return storage(this.store.getMany(ids), "reading matches");
  }

  /** The `limit` most recently updated matches, newest first, with their ranks. */
  recent(limit: number): Promise<RankedMatch[]> {
    return storage(this.store.recent(limit), "reading recent matches");
  }

  /**
   * The long poll: the match once its version passes `after` (at once if it
   * already has), or `undefined` after `waitMs`.
   */
  async waitForChange(
    id: MatchId,
    after: number,
    waitMs: number,
    signal: AbortSignal,
  ): Promise<Match | undefined> {
    const current = await storage(this.store.get(id), "reading the match");
    if (current && current.version > after) return current;
    if (signal.aborted) return undefined;
    this.relay.follow(id, current?.version ?? 0, current);
    return this.relay.wait(id, after, waitMs, signal);
  }
}
