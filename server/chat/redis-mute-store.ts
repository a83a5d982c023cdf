import type { RoomName, UserId } from "../../contract/index.js";
import type { RedisClient } from "../redis/types.js";
import { laterEnd, type MuteStore } from "./mute-store.js";

/**
 * Mutes in Redis: one key per mute holding its end, expiring with it, so
 * every instance sees it and nothing needs cleaning up. A user's keys share
 * the hash tag `{userId}`, so one MGET reads both that apply to a send.
 */
export class RedisMuteStore implements MuteStore {
  constructor(
    private readonly client: RedisClient,
    private readonly prefix: string,
  ) {}

  async mute(userId: UserId, room: RoomName | undefined, ms: number): Promise<number> {
    const until = Date.now() + ms;
    await this.client.set(this.key(userId, room), String(until), {
      expiration: { type: "PX", value: ms },
    });
    return until;
  }

  async unmute(userId: UserId, room: RoomName | undefined): Promise<void> {
    await this.client.del(this.key(userId, room));
  }

  async mutedUntil(userId: UserId, room: RoomName): Promise<number | undefined> {
    const [everywhere, here] = await this.client.mGet([
      this.key(userId, undefined),
      this.key(userId, room),
    ]);
    const end = (raw: string | null | undefined) => (raw ? Number(raw) : undefined);
    return laterEnd(end(everywhere), end(here));
  }

  /** The key of a mute; the TTL test reads it too. */
  key(userId: UserId, room: RoomName | undefined): string {
    const user = `${this.prefix}mute:{${userId}}`;
    return room === undefined ? user : `${user}:${room}`;
  }
}
