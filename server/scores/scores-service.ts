import type { Namespace } from "socket.io";
import type { Match, MatchId, MatchUpdate } from "../../contract/index.js";
import { storage } from "../deadline.js";
import { AppError } from "../errors.js";
import type { Logger } from "../logger.js";
import type { Metrics } from "../metrics.js";
import { NamespaceRelay } from "../realtime/namespace-relay.js";
import type { MatchStore } from "./match-store.js";

export interface ScoresDeps {
  clustered: boolean;
  logger: Logger;
  metrics: Metrics;
}

/** The scores operations, shared by the `/scores` namespace and the HTTP API. */
export class ScoresService {
  readonly relay: NamespaceRelay<Match>;

  constructor(
    nsp: Namespace,
    readonly store: MatchStore,
    deps: ScoresDeps,
  ) {
    this.relay = new NamespaceRelay<Match>(nsp, {
      event: "match",
      mode: "latest",
      key: (match) => match.id,
      position: (match) => match.version,
      storedAt: (match) => Date.parse(match.updatedAt),
      source: {
        readAfter: async (id, after) => {
          const match = await store.get(id);
          return match && match.version > after ? [match] : [];
        },
        heads: (ids) => store.versions(ids),
      },
      ...deps,
    });
  }

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
    this.relay.relay.follow(id, current?.version ?? 0, current);
    return this.relay.relay.wait(id, after, waitMs, signal);
  }
}
