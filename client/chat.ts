import { ROOM_PATTERN, type RoomName, type UserId } from "../contract/index.js";
import { ChatRoom, type RoomHandlers } from "./chat-room.js";
import type { ChatSocket, Connection } from "./connection.js";
import { MatchdayError } from "./matchday-error.js";
import { request } from "./request.js";

/**
 * Chat rooms on one connection's `/chat` socket (one `Chat` per
 * connection). On every (re)connection, to whichever instance, it joins
 * each room again with `since` = the highest `seq` it holds.
 */
export class Chat {
  private readonly socket: ChatSocket;
  private readonly rooms = new Map<RoomName, ChatRoom>();

  constructor(connection: Connection) {
    this.socket = connection.chat();
    this.socket.on("message", (message) => this.rooms.get(message.room)?.receive(message));
    this.socket.on("deleted", ({ room, seq }) => this.rooms.get(room)?.deleted(seq));
    this.socket.on("presence", ({ room, online }) => this.rooms.get(room)?.presence(online));
    this.socket.on("connect", () => {
      for (const room of this.rooms.values()) room.rejoin();
    });
  }

  /** Joins `room` now, or as soon as connected; leave it before joining it again. */
  join(room: RoomName, handlers: RoomHandlers): ChatRoom {
    if (!ROOM_PATTERN.test(room)) {
      throw new MatchdayError("bad_request", `not a room name: ${JSON.stringify(room)}`);
    }
    if (this.rooms.has(room)) throw new MatchdayError("conflict", `already in ${room}`);
    const chatRoom = new ChatRoom(this.socket, room, handlers, () => this.rooms.delete(room));
    this.rooms.set(room, chatRoom);
    if (this.socket.connected) chatRoom.rejoin();
    return chatRoom;
  }

  /** Moderators: turns a message into a tombstone for everyone. */
  async deleteMessage(room: RoomName, seq: number): Promise<void> {
    await request(this.socket, "delete", { room, seq });
  }

  /** Moderators: keeps `userId` from sending (to `room`, or anywhere) for `minutes`; resolves with the end. */
  async mute(userId: UserId, minutes: number, room?: RoomName): Promise<Date> {
    const { until } = await request(this.socket, "mute", {
      userId,
      minutes,
      ...(room === undefined ? {} : { room }),
    });
    return new Date(until);
  }

  /** Moderators: lifts a mute (of `room`, or the one of every room). */
  async unmute(userId: UserId, room?: RoomName): Promise<void> {
    await request(this.socket, "unmute", { userId, ...(room === undefined ? {} : { room }) });
  }
}
