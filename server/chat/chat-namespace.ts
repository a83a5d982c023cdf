import {
  JOIN_HISTORY,
  type JoinRequest,
  type JoinResult,
  type LeaveRequest,
  type Limits,
  type SendRequest,
} from "../../contract/index.js";
import { storage } from "../deadline.js";
import { AppError } from "../errors.js";
import type { EventHandler, Reply } from "../realtime/event-router.js";
import { keyedRooms, roomOf } from "../realtime/rooms.js";
import type { ChatSocketData } from "../realtime/socket-data.js";
import type { ChatService } from "./chat-service.js";
import type { PresenceTracker } from "./presence-tracker.js";
import { joinRequest, leaveRequest, sendRequest } from "./schemas.js";

/** The `/chat` client-to-server events. */
export function chatHandlers(
  chat: ChatService,
  presence: PresenceTracker,
  limits: Limits,
): Map<string, EventHandler<any>> {
  const relay = chat.relay.relay;

  const join: EventHandler<JoinRequest> = {
    schema: joinRequest,
    async run({ room, since }, socket): Promise<Reply> {
      const inRoom = () => socket.rooms.has(roomOf(room));
      const roomsFull = () => keyedRooms(socket.rooms) >= limits.roomsPerSocket;
      const tooManyRooms = () =>
        new AppError("bad_request", `a socket joins at most ${limits.roomsPerSocket} rooms`);
      const joined = inRoom();
      if (!joined && roomsFull()) throw tooManyRooms();
      const [page, others] = await Promise.all([
        chat.history(room, since === undefined ? { limit: JOIN_HISTORY } : { since }),
        joined ? 0 : storage(presence.reserve(room), "counting members"),
      ]);
      return (): JoinResult => {
        // Checked again: this socket's other joins in flight may have joined
        // this room, or filled its rooms, meanwhile. Where this join reserved
        // a place in the count and does not take it, the real count is written.
        if (!socket.connected || inRoom()) {
          if (!joined) presence.recount(room);
          // A socket already in the room has every message; history would repeat them.
          return { history: [], online: socket.connected ? presence.lastKnown(room) : 0 };
        }
        if (roomsFull()) {
          presence.recount(room);
          throw tooManyRooms();
        }
        relay.follow(room, page.head);
        const history = [...page.messages, ...relay.admit(room, socket.id, page.head)];
        socket.join(roomOf(room));
        const online = others + presence.localCount(room);
        return page.truncated ? { history, online, truncated: true } : { history, online };
      };
    },
  };

  const leave: EventHandler<LeaveRequest> = {
    schema: leaveRequest,
    async run({ room }, socket) {
      socket.leave(roomOf(room));
      return {};
    },
  };

  const send: EventHandler<SendRequest> = {
    schema: sendRequest,
    async run({ room, text, nonce }, socket) {
      if (!socket.rooms.has(roomOf(room))) {
        throw new AppError("forbidden", `join ${room} before sending to it`);
      }
      const { user } = socket.data as ChatSocketData;
      const message = await chat.send({
        room,
        user,
        text,
        ...(nonce === undefined ? {} : { nonce }),
      });
      return { message };
    },
  };

  return new Map<string, EventHandler<any>>([
    ["join", join],
    ["leave", leave],
    ["send", send],
  ]);
}
