import type { RoomName } from "../../contract/index.js";
import type { PresenceCount, PresenceStore } from "./presence-store.js";

/** One instance: its own counts are the totals. */
export class MemoryPresenceStore implements PresenceStore {
  private readonly counts = new Map<RoomName, number>();
  private version = 0;

  async set(room: RoomName, count: number | null): Promise<PresenceCount> {
    if (count === 0) this.counts.delete(room);
    else if (count !== null) this.counts.set(room, count);
    return { online: this.counts.get(room) ?? 0, version: ++this.version };
  }

  async heartbeat(): Promise<boolean> {
    return false;
  }

  async retire(): Promise<void> {}
}
