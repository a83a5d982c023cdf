import { RECENT_MATCHES_MAX, type Match, type MatchId } from "../../contract/index.js";
import type { Reply } from "../realtime/event-router.js";
import type { ScoresServerSocket } from "../realtime/namespaces.js";
import { keyOf, roomOf } from "../realtime/rooms.js";
import type { Rank } from "./match-store.js";
import { EVERY_MATCH_ROOM, type ScoresRelay } from "./scores-relay.js";
import type { ScoresService } from "./scores-service.js";

/**
 * What a socket that follows every match holds, kept without a record per
 * match: every match ranked at least `threshold` (sent in its answer, or
 * changed since), every match emitted after `mark` (it was in the room by
 * then), and the `extra` ones it was sent otherwise.
 */
interface Holdings {
  mark: number;
  /** 0 when its answer held every match there was. */
  threshold: Rank;
  extra: Set<MatchId>;
}

type Answer = { matches: Match[] };

/**
 * `subscribe_all`: the sockets of this instance that follow every match.
 * They share one room, which the relay emits to along with each match's own
 * room, once per socket; while the room has members the relay follows every
 * match, and its sweeps find matches changed where no broadcast reached
 * this instance.
 */
export class EveryMatchFollowers {
  private readonly holdings = new WeakMap<ScoresServerSocket, Holdings>();
  /** The ranks read for answers, while local sockets follow every match. */
  private readonly ranks = new Map<MatchId, Rank>();

  constructor(
    private readonly scores: ScoresService,
    private readonly relay: ScoresRelay,
  ) {}

  /**
   * Whether `socket` holds the relay's latest state of `id`, or is about to
   * without asking (a repair on its way to the room).
   */
  holds(socket: ScoresServerSocket, id: MatchId): boolean {
    if (socket.rooms.has(roomOf(id))) return true;
    const held = this.holdings.get(socket);
    if (!held || !socket.rooms.has(EVERY_MATCH_ROOM)) return false;
    return (
      this.relay.deliveredAfter(id, held.mark) ||
      (this.ranks.get(id) ?? 0) >= held.threshold ||
      held.extra.has(id)
    );
  }

  /** Notes that `socket` was sent `id` in a `subscribe` answer. */
  sent(socket: ScoresServerSocket, id: MatchId): void {
    this.holdings.get(socket)?.extra.add(id);
  }

  async subscribe(
    socket: ScoresServerSocket,
    versions: Record<MatchId, number> | undefined,
  ): Promise<Reply<Answer>> {
    // Everything it could be sent, it holds already.
    if (socket.rooms.has(EVERY_MATCH_ROOM)) return { matches: [] };
    const mark = this.relay.deliveryMark();
    const recent = await this.scores.recent(RECENT_MATCHES_MAX);
    return () => {
      if (!socket.connected) return { matches: [] };
      const first = !this.relay.followsEvery();
      if (first) this.ranks.clear();
      this.relay.startEvery(recent[0]?.rank ?? 0);
      // The room catches up with what was read before this socket enters it.
      for (const { match, rank } of recent) {
        this.relay.follow(match.id, match.version, match);
        this.ranks.set(match.id, Math.max(rank, this.ranks.get(match.id) ?? 0));
      }
      const readIds = new Set(recent.map(({ match }) => match.id));
      // Emitted while the answer was read, so more recent than what was read.
      const moved = this.relay.deliveredSince(mark).filter((id) => !readIds.has(id));
      const keptMoved = moved.slice(0, RECENT_MATCHES_MAX);
      const keptRead = recent.slice(0, RECENT_MATCHES_MAX - keptMoved.length);
      const listed = [...keptMoved, ...keptRead.map(({ match }) => match.id)];
      const held: Holdings = {
        mark: this.relay.deliveryMark(),
        threshold:
          keptRead.length === recent.length && recent.length < RECENT_MATCHES_MAX
            ? 0
            : (keptRead.at(-1)?.rank ?? Infinity),
        extra: new Set(keptMoved),
      };
      // What it follows by id it holds already, and keeps holding.
      for (const room of socket.rooms) {
        const id = keyOf(room);
        if (id !== undefined) held.extra.add(id);
      }
      const version = (id: MatchId) => (versions && Object.hasOwn(versions, id) ? versions[id] : 0);
      const matches = listed.flatMap((id) => {
        const match = this.relay.latest(id);
        return match && match.version > version(id) && !socket.rooms.has(roomOf(id)) ? [match] : [];
      });
      this.holdings.set(socket, held);
      void socket.join(EVERY_MATCH_ROOM);
      // Broadcasts of matches this instance did not track yet were dropped
      // while the answer was read: look for them now, not at the next sweep
      // (which retries if this read fails).
      if (first) this.relay.sweep().catch(() => undefined);
      return { matches };
    };
  }

  unsubscribe(socket: ScoresServerSocket): void {
    this.holdings.delete(socket);
    void socket.leave(EVERY_MATCH_ROOM);
  }
}
