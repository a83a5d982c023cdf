import type { RoomName, UserId } from "../../contract/index.js";
import { hashTag } from "../redis/hash-tag.js";
import { primaryOnly, type RedisCommands, type Replicated } from "../redis/types.js";
import { laterEnd, type MuteStore } from "./mute-store.js";

/**
 * Mutes in Redis: one key per mute holding its end, expiring with it, so
 * every instance sees it and nothing needs cleaning up. A user's keys share
 * the user's hash tag, so one MGET reads both that apply to a send, on one
 * shard of a cluster.
 */
export class RedisMuteStore implements MuteStore {
  constructor(
    private readonly client: RedisCommands,
    private readonly prefix: string,
    private readonly replicated: Replicated = primaryOnly,
  ) {}

  async mute(userId: UserId, room: RoomName | undefined, ms: number): Promise<number> {
    const until = Date.now() + ms;
    const key = this.key(userId, room);
    await this.client.set(key, String(until), { expiration: { type: "PX", value: ms } });
    await this.replicated(key);
    return until;
  }

  async unmute(userId: UserId, room: RoomName | undefined): Promise<void> {
    const key = this.key(userId, room);
    if ((await this.client.del(key)) > 0) await this.replicated(key);
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
    const user = `${this.prefix}mute:${hashTag(userId)}`;
    return room === undefined ? user : `${user}:${room}`;
  }
}
