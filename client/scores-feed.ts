import {
  DEFAULT_LIMITS,
  IDS_PER_REQUEST_MAX,
  MATCH_ID_PATTERN,
  RECENT_MATCHES_MAX,
  type Match,
  type MatchId,
} from "../contract/index.js";
import { chunks } from "./chunks.js";
import type { Connection, ScoresSocket } from "./connection.js";
import { MatchdayError } from "./matchday-error.js";
import { request } from "./request.js";
import { retryWithinSession } from "./session-retry.js";

export type MatchListener = (match: Match) => void;

export interface ScoresFeedOptions {
  /** A resubscription after a reconnect failed for good (e.g. `bad_request`). */
  onError?: (error: MatchdayError) => void;
}

/**
 * Live states of followed matches, on one connection's `/scores` socket (one
 * feed per connection). It keeps the newest version of each match and hands
 * listeners only newer ones, in order; on every (re)connection it
 * subscribes again with the versions it holds, so the server sends exactly
 * what changed meanwhile.
 */
export class ScoresFeed {
  private readonly socket: ScoresSocket;
  private readonly held = new Map<MatchId, Match>();
  private readonly listeners = new Map<MatchId, Set<MatchListener>>();
  /** Listeners of every match (`followAll`). */
  private readonly everyListeners = new Set<MatchListener>();

  constructor(
    connection: Connection,
    private readonly options: ScoresFeedOptions = {},
  ) {
    this.socket = connection.scores();
    this.socket.on("match", (match) => this.accept(match));
    this.socket.on("connect", () => this.resubscribe());
  }

  /** The newest state held of a match. */
  latest(id: MatchId): Match | undefined {
    return this.held.get(id);
  }

  /**
   * Records states known from elsewhere (`GET /api/matches`), so that
   * subscribing asks only for newer ones. Calls no listener.
   */
  prime(matches: readonly Match[]): void {
    for (const match of matches) {
      if (match.version > (this.held.get(match.id)?.version ?? 0)) this.held.set(match.id, match);
    }
  }

  /**
   * Calls `onMatch` with the state held now (if any) and every newer one of
   * each of `ids`. A match that does not exist yet is fine: its first state
   * comes when it is created. Resolves once the server has acknowledged the
   * subscription, or at once while disconnected (it is then sent on connect).
   */
  async follow(ids: readonly MatchId[], onMatch: MatchListener): Promise<void> {
    const unique = [...new Set(ids)];
    const invalid = unique.find((id) => !MATCH_ID_PATTERN.test(id));
    if (invalid !== undefined) {
      throw new MatchdayError("bad_request", `not a match id: ${JSON.stringify(invalid)}`);
    }
    const fresh = unique.filter((id) => !this.listeners.has(id));
    if (this.listeners.size + fresh.length > DEFAULT_LIMITS.matchesPerSocket) {
      throw new MatchdayError(
        "bad_request",
        `a connection follows at most ${DEFAULT_LIMITS.matchesPerSocket} matches`,
      );
    }
    for (const id of unique) {
      const listeners = this.listeners.get(id) ?? new Set();
      listeners.add(onMatch);
      this.listeners.set(id, listeners);
      const match = this.held.get(id);
      if (match) onMatch(match);
    }
    if (fresh.length > 0 && this.socket.connected) await this.subscribe(fresh);
  }

  /**
   * Calls `onMatch` with every match held now, then with every newer state of
   * every match, creations included: a live match list. The first answer
   * holds the most recently updated matches (at most 1,000). Resolves once
   * the server has acknowledged, or at once while disconnected. An
   * `unavailable` answer (Redis briefly away) is retried for as long as the
   * connection lasts: no reconnect is coming to send it again.
   */
  async followAll(onMatch: MatchListener): Promise<void> {
    const first = this.everyListeners.size === 0;
    this.everyListeners.add(onMatch);
    for (const match of this.held.values()) onMatch(match);
    if (first && this.socket.connected) {
      await retryWithinSession(this.socket, () => this.subscribeAll());
    }
  }

  /** Stops following every match; matches followed by id stay followed. */
  async unfollowAll(): Promise<void> {
    if (this.everyListeners.size === 0) return;
    this.everyListeners.clear();
    for (const id of this.held.keys()) if (!this.listeners.has(id)) this.held.delete(id);
    if (this.socket.connected) await request(this.socket, "unsubscribe_all", {});
  }

  /** Stops following `ids`, for every listener. */
  async unfollow(ids: readonly MatchId[]): Promise<void> {
    const gone = ids.filter((id) => this.listeners.delete(id));
    if (this.everyListeners.size === 0) for (const id of gone) this.held.delete(id);
    if (gone.length === 0 || !this.socket.connected) return;
    await Promise.all(
      chunks(gone, IDS_PER_REQUEST_MAX).map((chunk) =>
        request(this.socket, "unsubscribe", { ids: chunk }),
      ),
    );
  }

  private async subscribe(ids: readonly MatchId[]): Promise<void> {
    await Promise.all(
      chunks(ids, IDS_PER_REQUEST_MAX).map(async (chunk) => {
        const versions = Object.fromEntries(
          chunk.flatMap((id) => {
            const match = this.held.get(id);
            return match ? [[id, match.version]] : [];
          }),
        );
        const { matches } = await request(this.socket, "subscribe", { ids: chunk, versions });
        for (const match of matches) this.accept(match);
      }),
    );
  }

  /**
   * Sends the versions held of the most recently updated matches: the only
   * ones the answer can hold, and few enough for one message.
   */
  private async subscribeAll(): Promise<void> {
    const newest = [...this.held.values()]
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
      .slice(0, RECENT_MATCHES_MAX);
    const versions = Object.fromEntries(newest.map((match) => [match.id, match.version]));
    const { matches } = await request(this.socket, "subscribe_all", { versions });
    for (const match of matches) this.accept(match);
  }

  private resubscribe(): void {
    const report = (err: MatchdayError) => this.options.onError?.(err);
    if (this.everyListeners.size > 0) {
      retryWithinSession(this.socket, () => this.subscribeAll()).catch(report);
    }
    const ids = [...this.listeners.keys()];
    if (ids.length === 0) return;
    retryWithinSession(this.socket, () => this.subscribe(ids)).catch(report);
  }

  /** Acks and events alike: only a newer version of a followed match goes on. */
  private accept(match: Match): void {
    const listeners = this.listeners.get(match.id);
    if (!listeners && this.everyListeners.size === 0) return;
    if (match.version <= (this.held.get(match.id)?.version ?? 0)) return;
    this.held.set(match.id, match);
    for (const listener of listeners ?? []) listener(match);
    for (const listener of this.everyListeners) listener(match);
  }
}
