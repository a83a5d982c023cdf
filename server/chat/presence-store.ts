import type { RoomName } from "../../contract/index.js";

export interface PresenceCount {
  online: number;
  /** Grows with every change of the room's count, so late answers are recognised. */
  version: number;
}

/**
 * Member counts of rooms across instances. Each instance writes only its own
 * count per room, which lasts a TTL unless written or refreshed again;
 * totals add the counts that have not run out.
 */
export interface PresenceStore {
  /**
   * Sets this instance's count for `room` (0 removes it) for another TTL, or
   * when `count` is null refreshes the count it has there, if any.
   */
  set(room: RoomName, count: number | null): Promise<PresenceCount>;
  /** Marks this instance alive; true when it had been forgotten and must set its counts again. */
  heartbeat(): Promise<boolean>;
  /** Takes back this instance's counts at once (graceful shutdown). */
  retire(): Promise<void>;
}
