import type { RoomName } from "../../contract/index.js";

export interface PresenceCount {
  online: number;
  /** Grows with every change of the room's count, so late answers are recognised. */
  version: number;
}

/**
 * Member counts of rooms across instances. Each instance writes only its own
 * count per room; totals add the counts of instances that are still alive.
 */
export interface PresenceStore {
  /** Sets this instance's count for `room` (0 removes it), or leaves it as is when `count` is null. */
  set(room: RoomName, count: number | null): Promise<PresenceCount>;
  /** Marks this instance alive; true when it had been forgotten and must set its counts again. */
  heartbeat(): Promise<boolean>;
  /** Forgets instances that stopped beating; answers the rooms whose totals changed. */
  reap(): Promise<RoomName[]>;
  /** Forgets this instance (graceful shutdown). */
  retire(): Promise<void>;
}
