import type { Match, MatchId, MatchUpdate } from "../../contract/index.js";
import { applyUpdate, type PublishResult } from "../../contract/apply-update.js";
import type { MatchStore, Rank, RankedMatch } from "./match-store.js";

/** Matches in this process's memory: the single-instance default. */
export class MemoryMatchStore implements MatchStore {
  /** In ascending rank: a changed match is moved to the end. */
  private readonly matches = new Map<MatchId, RankedMatch>();
  private lastRank = 0;

  async get(id: MatchId): Promise<Match | undefined> {
    return this.matches.get(id)?.match;
  }

  async getMany(ids: readonly MatchId[]): Promise<Match[]> {
    return ids.flatMap((id) => this.matches.get(id)?.match ?? []);
  }

  async list(): Promise<Match[]> {
    return [...this.matches.values()].map((entry) => entry.match);
  }

  async versions(ids: readonly MatchId[]): Promise<Map<MatchId, number>> {
    return new Map(ids.map((id) => [id, this.matches.get(id)?.match.version ?? 0]));
  }

  async recent(limit: number): Promise<RankedMatch[]> {
    return [...this.matches.values()].slice(-limit).reverse();
  }

  async changedAfter(rank: Rank): Promise<Array<{ id: MatchId; rank: Rank }>> {
    return [...this.matches.values()]
      .filter((entry) => entry.rank > rank)
      .map((entry) => ({ id: entry.match.id, rank: entry.rank }));
  }

  async publish(update: MatchUpdate): Promise<PublishResult> {
    const result = applyUpdate(this.matches.get(update.id)?.match, update, new Date());
    if (result.changed) {
      this.matches.delete(update.id);
      this.matches.set(update.id, { match: result.match, rank: ++this.lastRank });
    }
    return result;
  }
}
