import type { RoomName, UserId } from "../../contract/index.js";
import { laterEnd, type MuteStore } from "./mute-store.js";

/** Mutes in this process's memory; `now` is injectable so tests need not wait out a mute. */
export class MemoryMuteStore implements MuteStore {
  /** `userId` or `userId|room` → end; "|" occurs in neither. */
  private readonly ends = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  async mute(userId: UserId, room: RoomName | undefined, ms: number): Promise<number> {
    this.forgetEnded();
    const until = this.now() + ms;
    this.ends.set(keyOf(userId, room), until);
    return until;
  }

  async unmute(userId: UserId, room: RoomName | undefined): Promise<void> {
    this.ends.delete(keyOf(userId, room));
  }

  async mutedUntil(userId: UserId, room: RoomName): Promise<number | undefined> {
    return laterEnd(this.current(keyOf(userId, undefined)), this.current(keyOf(userId, room)));
  }

  private current(key: string): number | undefined {
    const until = this.ends.get(key);
    return until !== undefined && until > this.now() ? until : undefined;
  }

  private forgetEnded(): void {
    const now = this.now();
    for (const [key, until] of this.ends) if (until <= now) this.ends.delete(key);
  }
}

const keyOf = (userId: UserId, room: RoomName | undefined) =>
  room === undefined ? userId : `${userId}|${room}`;
