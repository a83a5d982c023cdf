import type { Namespace } from "socket.io";
import type { Presence, RoomName } from "../../contract/index.js";
import type { Logger } from "../logger.js";
import { keyOf, roomOf } from "../realtime/rooms.js";
import type { PresenceCount, PresenceStore } from "./presence-store.js";

/** A presence change as it travels between instances. */
type PresenceUpdate = Presence & Pick<PresenceCount, "version">;

/** Membership changes within this window are written to the store as one. */
const COALESCE_MS = 10;
const RETRY_MS = 1000;

export interface PresenceTrackerOptions {
  clustered: boolean;
  /** How often this instance beats and looks for dead ones. */
  heartbeatMs: number;
  logger: Logger;
}

/**
 * Keeps the store's count for this instance in step with its local rooms,
 * and shows members each new total as a `presence` event. Counts are
 * written as absolute numbers, so a retry or a re-registration after a Redis
 * restart is always safe.
 */
export class PresenceTracker {
  private readonly dirty = new Set<RoomName>();
  private readonly shown = new Map<RoomName, PresenceCount>();
  private flushTimer: NodeJS.Timeout | undefined;
  private flushing = false;
  private readonly beatTimer: NodeJS.Timeout;

  constructor(
    private readonly nsp: Namespace,
    private readonly store: PresenceStore,
    private readonly options: PresenceTrackerOptions,
  ) {
    const changed = (room: string) => {
      const key = keyOf(room);
      if (key !== undefined) this.markDirty(key);
    };
    nsp.adapter.on("join-room", changed);
    nsp.adapter.on("leave-room", changed);
    nsp.adapter.on("delete-room", (room: string) => {
      const key = keyOf(room);
      if (key !== undefined) this.shown.delete(key);
    });
    nsp.on("presence", (update: PresenceUpdate) => this.show(update));
    this.beatTimer = setInterval(() => void this.maintain(), options.heartbeatMs);
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
    for (const room of this.nsp.adapter.rooms.keys()) {
      const key = keyOf(room);
      if (key !== undefined) this.markDirty(key);
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.beatTimer);
    clearTimeout(this.flushTimer);
    await this.store.retire();
  }

  private markDirty(room: RoomName, delay = COALESCE_MS): void {
    this.dirty.add(room);
    this.flushTimer ??= setTimeout(() => void this.flush(), delay);
  }

  private async flush(): Promise<void> {
    this.flushTimer = undefined;
    if (this.flushing) return;
    this.flushing = true;
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
    this.flushing = false;
    for (const room of failed) this.markDirty(room, RETRY_MS);
    if (this.dirty.size > 0) this.flushTimer ??= setTimeout(() => void this.flush(), COALESCE_MS);
  }

  private announce(room: RoomName, count: PresenceCount): void {
    const update: PresenceUpdate = { room, ...count };
    this.show(update);
    if (this.options.clustered) this.nsp.serverSideEmit("presence", update);
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

  /** Heartbeat, re-registration when forgotten, and removal of dead instances. */
  private async maintain(): Promise<void> {
    try {
      if (await this.store.heartbeat()) this.resync();
      const touched = new Set(await this.store.reap());
      for (const room of touched) this.announce(room, await this.store.set(room, null));
      if (touched.size > 0) {
        this.options.logger.info({ rooms: touched.size }, "removed dead instances from presence");
      }
    } catch (err) {
      this.options.logger.debug({ err }, "presence maintenance failed; retrying next beat");
    }
  }
}
