import type { RoomName, UserId } from "../../contract/index.js";

/**
 * Who may not send, until when: per room or in every room, shared by every
 * instance. A mute ends by itself; muting again replaces its end.
 */
export interface MuteStore {
  /** Mutes `userId` in `room` (every room without one) for `ms`; answers the end, ms since the epoch. */
  mute(userId: UserId, room: RoomName | undefined, ms: number): Promise<number>;
  unmute(userId: UserId, room: RoomName | undefined): Promise<void>;
  /** The latest end of the mutes that keep `userId` from sending to `room`, if any is in force. */
  mutedUntil(userId: UserId, room: RoomName): Promise<number | undefined>;
}

/** The later of two optional ends. */
export function laterEnd(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  return b === undefined ? a : Math.max(a, b);
}
