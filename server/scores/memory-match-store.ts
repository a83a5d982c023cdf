import type { Match, MatchId, MatchUpdate } from "../../contract/index.js";
import { applyUpdate } from "./apply-update.js";
import type { MatchStore, PublishResult } from "./match-store.js";

/** Matches in this process's memory: the single-instance default. */
export class MemoryMatchStore implements MatchStore {
  private readonly matches = new Map<MatchId, Match>();

  async get(id: MatchId): Promise<Match | undefined> {
    return this.matches.get(id);
  }

  async getMany(ids: readonly MatchId[]): Promise<Match[]> {
    return ids.flatMap((id) => this.matches.get(id) ?? []);
  }

  async list(): Promise<Match[]> {
    return [...this.matches.values()];
  }

  async versions(ids: readonly MatchId[]): Promise<Map<MatchId, number>> {
    return new Map(ids.map((id) => [id, this.matches.get(id)?.version ?? 0]));
  }

  async publish(update: MatchUpdate): Promise<PublishResult> {
    const result = applyUpdate(this.matches.get(update.id), update, new Date());
    if (result.changed) this.matches.set(update.id, result.match);
    return result;
  }
}
