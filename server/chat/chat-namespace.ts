import { AppError } from "../../contract/app-error.js";
import {
  deleteRequest,
  joinRequest,
  leaveRequest,
  muteRequest,
  sendRequest,
  unmuteRequest,
} from "../../contract/chat-schemas.js";
import {
  JOIN_HISTORY,
  type ChatClientToServerEvents,
  type JoinResult,
  type Limits,
  type Message,
} from "../../contract/index.js";
import { storage } from "../deadline.js";
import type { HandlerTable } from "../realtime/event-router.js";
import type { ChatServerSocket } from "../realtime/namespaces.js";
import { keyedRooms, roomOf } from "../realtime/rooms.js";
import type { ChatRelay, DeletionRelay } from "./chat-relay.js";
import type { ChatService } from "./chat-service.js";
import { tombstone } from "./message-store.js";
import type { PresenceTracker } from "./presence-tracker.js";

/** The `/chat` client-to-server events. */
export function chatHandlers(
  chat: ChatService,
  relay: ChatRelay,
  deletions: DeletionRelay,
  presence: PresenceTracker,
  limits: Limits,
  /** `GUEST_CHAT`: whether sockets without a valid jwt may send. */
  guestChat: boolean,
): HandlerTable<ChatClientToServerEvents, ChatServerSocket> {
  const roomsFull = (socket: ChatServerSocket) =>
    keyedRooms(socket.rooms) >= limits.roomsPerSocket
      ? new AppError("bad_request", `a socket joins at most ${limits.roomsPerSocket} rooms`)
      : undefined;

  return {
    join: {
      schema: joinRequest,
      orderKeys: ({ room }) => [room],
      async run({ room, since }, socket) {
        // Only this socket's events on this room change whether it is in it,
        // and those wait for this join to take effect.
        if (socket.rooms.has(roomOf(room))) {
          // It has every message of the room already: history would repeat them.
          return { history: [], online: presence.lastKnown(room) };
        }
        const full = roomsFull(socket);
        if (full) throw full;
        const query = since === undefined ? { limit: JOIN_HISTORY } : { since };
        // From here a place is reserved in the count: wherever the join does
        // not happen, the real count is written again.
        const reserved = storage(presence.reserve(room), "counting members");
        const [page, others] = await Promise.all([chat.history(room, query), reserved]).catch(
          (err: unknown) => {
            presence.recount(room);
            throw err;
          },
        );
        return (): JoinResult => {
          let joined = false;
          try {
            if (!socket.connected) return { history: [], online: 0 };
            // Checked again: its joins of other rooms run side by side with this one.
            const nowFull = roomsFull(socket);
            if (nowFull) throw nowFull;
            relay.follow(room, page.head);
            deletions.follow(room, page.deletions);
            // Deletions the room was sent after the read are not in the
            // history, and the joiner will not be sent them: apply them here.
            const deleted = new Set(
              deletions.admit(room, socket.id, page.deletions).map(({ seq }) => seq),
            );
            const history = [...page.messages, ...relay.admit(room, socket.id, page.head)].map(
              (message: Message) => (deleted.has(message.seq) ? tombstone(message) : message),
            );
            void socket.join(roomOf(room));
            joined = true;
            const online = others + presence.localCount(room);
            return page.truncated ? { history, online, truncated: true } : { history, online };
          } finally {
            if (!joined) presence.recount(room);
          }
        };
      },
    },

    leave: {
      schema: leaveRequest,
      orderKeys: ({ room }) => [room],
      async run({ room }, socket) {
        void socket.leave(roomOf(room));
        return {};
      },
    },

    send: {
      schema: sendRequest,
      orderKeys: ({ room }) => [room],
      async run({ room, text, nonce }, socket) {
        if (!socket.rooms.has(roomOf(room))) {
          throw new AppError("forbidden", `join ${room} before sending to it`);
        }
        if (!guestChat && !socket.data.user.verified) {
          throw new AppError("forbidden", "only signed-in users may send here");
        }
        const message = await chat.send({
          room,
          user: socket.data.user,
          text,
          ...(nonce === undefined ? {} : { nonce }),
        });
        return { message };
      },
    },

    delete: {
      schema: deleteRequest,
      role: "moderator",
      orderKeys: ({ room }) => [room],
      async run({ room, seq }) {
        await chat.delete(room, seq);
        return {};
      },
    },

    mute: {
      schema: muteRequest,
      role: "moderator",
      orderKeys: ({ userId }) => [muteKey(userId)],
      async run({ userId, minutes, room }) {
        return { until: await chat.mute(userId, minutes, room) };
      },
    },

    unmute: {
      schema: unmuteRequest,
      role: "moderator",
      orderKeys: ({ userId }) => [muteKey(userId)],
      async run({ userId, room }) {
        await chat.unmute(userId, room);
        return {};
      },
    },
  };
}

/** Mutes of one user apply in the order a moderator sent them. */
const muteKey = (userId: string) => `mute|${userId}`;
