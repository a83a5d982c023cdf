import type { Namespace } from "socket.io";
import type { Presence, RoomName } from "../../contract/index.js";
import type { Logger } from "../logger.js";
import type { PeerNetwork, PeerTopic } from "../peers/peers.js";
import { keyOf, roomOf } from "../realtime/rooms.js";
import type { PresenceCount, PresenceStore } from "./presence-store.js";

/** A presence change as it travels between instances. */
type PresenceUpdate = Presence & Pick<PresenceCount, "version">;

/** Membership changes within this window are written to the store as one. */
const COALESCE_MS = 10;
const RETRY_MS = 1000;

export interface PresenceTrackerOptions {
  /** How totals reach the other instances; absent for one instance. */
  peers: PeerNetwork | undefined;
  /**
   * How often this instance beats and refreshes its counts: well below the
   * store's TTL, so that one late beat does not let them run out.
   */
  heartbeatMs: number;
  logger: Logger;
}

/**
 * Keeps the store's count for this instance in step with its local rooms,
 * and shows members each new total as a `presence` event. Counts are
 * written as absolute numbers, so a retry or a re-registration after a Redis
 * restart is always safe. The counts of an instance that stops beating run
 * out in the store; the next beat of each other instance shows the new total.
 */
export class PresenceTracker {
  private readonly dirty = new Set<RoomName>();
  private readonly shown = new Map<RoomName, PresenceCount>();
  private flushTimer: NodeJS.Timeout | undefined;
  /** In flight: `stop` lets them land first, or they could count this instance again. */
  private flushing: Promise<void> | undefined;
  /** In flight: one at a time, and `stop` lets it land first like `flushing`. */
  private beating: Promise<void> | undefined;
  private stopped = false;
  private readonly beatTimer: NodeJS.Timeout;
  private readonly peers: PeerTopic<PresenceUpdate> | undefined;

  constructor(
    private readonly nsp: Namespace,
    private readonly store: PresenceStore,
    private readonly options: PresenceTrackerOptions,
  ) {
    const changed = (room: string) => {
      const key = keyOf(room);
      if (key !== undefined) this.markDirty(key);
    };
    this.peers = options.peers?.topic<"presence", PresenceUpdate>(nsp, "presence");
    nsp.adapter.on("create-room", (room: string) => {
      const key = keyOf(room);
      if (key !== undefined) this.peers?.follow(key);
    });
    nsp.adapter.on("join-room", changed);
    nsp.adapter.on("leave-room", changed);
    nsp.adapter.on("delete-room", (room: string) => {
      const key = keyOf(room);
      if (key === undefined) return;
      this.shown.delete(key);
      this.peers?.unfollow(key);
    });
    this.peers?.onItem((update) => this.show(update));
    this.beatTimer = setInterval(() => {
      this.beating ??= this.beat().finally(() => (this.beating = undefined));
    }, options.heartbeatMs);
  }

  /**
   * Right before a socket joins `room`: writes this instance's count with
   * that socket in it (so a join on another instance a moment later counts
   * it), and answers the members on other instances. The membership change
   * that follows writes the same count again and tells the room.
   */
  async reserve(room: RoomName): Promise<number> {
    const local = this.localCount(room) + 1;
    const { online } = await this.store.set(room, local);
    return online - local;
  }

  /** The last total shown to the room's members. */
  lastKnown(room: RoomName): number {
    return this.shown.get(room)?.online ?? this.localCount(room);
  }

  /** Writes the real count again, e.g. after a reserved join did not happen. */
  recount(room: RoomName): void {
    this.markDirty(room);
  }

  localCount(room: RoomName): number {
    return this.nsp.adapter.rooms.get(roomOf(room))?.size ?? 0;
  }

  /** Writes every local count again (after Redis came back, possibly empty). */
  resync(): void {
    this.shown.clear();
    for (const room of this.localRooms()) this.markDirty(room);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.beatTimer);
    clearTimeout(this.flushTimer);
    await Promise.all([this.flushing, this.beating]);
    await this.store.retire();
  }

  private localRooms(): RoomName[] {
    return [...this.nsp.adapter.rooms.keys()].flatMap((room) => keyOf(room) ?? []);
  }

  private markDirty(room: RoomName, delay = COALESCE_MS): void {
    this.dirty.add(room);
    this.scheduleFlush(delay);
  }

  private scheduleFlush(delay: number): void {
    if (!this.stopped) this.flushTimer ??= setTimeout(() => this.flush(), delay);
  }

  private flush(): void {
    this.flushTimer = undefined;
    this.flushing ??= this.writeDirty().finally(() => {
      this.flushing = undefined;
      if (this.dirty.size > 0) this.scheduleFlush(COALESCE_MS);
    });
  }

  private async writeDirty(): Promise<void> {
    const rooms = [...this.dirty];
    this.dirty.clear();
    const failed: RoomName[] = [];
    await Promise.all(
      rooms.map(async (room) => {
        try {
          this.announce(room, await this.store.set(room, this.localCount(room)));
        } catch {
          failed.push(room);
        }
      }),
    );
    for (const room of failed) this.markDirty(room, RETRY_MS);
  }

  /** Tells this instance's members and the other instances a room's new total. */
  private announce(room: RoomName, count: PresenceCount): void {
    const update: PresenceUpdate = { room, ...count };
    this.show(update);
    this.peers?.send(room, update);
  }

  /** Emits a newer total to local members, once per change. */
  private show({ room, online, version }: PresenceUpdate): void {
    if (this.localCount(room) === 0) return;
    const last = this.shown.get(room);
    if (last && last.version >= version) return;
    this.shown.set(room, { online, version });
    if (last?.online === online) return;
    const presence: Presence = { room, online };
    this.nsp.local.to(roomOf(room)).emit("presence", presence);
  }

  /**
   * Keeps this instance's counts from running out, or has them all written
   * again when the store forgot it (a refresh would then find nothing).
   */
  private async beat(): Promise<void> {
    try {
      if (await this.store.heartbeat()) {
        this.resync();
        return;
      }
      await Promise.all(
        this.localRooms().map(async (room) => {
          const count = await this.store.set(room, null);
          // Changes here when the counts of an instance that stopped beating ran out.
          if (count.online !== this.shown.get(room)?.online) this.announce(room, count);
        }),
      );
    } catch (err) {
      this.options.logger.debug({ err }, "presence heartbeat failed; retrying next beat");
    }
  }
}
