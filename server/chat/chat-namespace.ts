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

/**
 * The order key joins and leaves share (no room is named "*"): they take
 * effect one after another, so the room limit sees each one's outcome, while
 * sends to different rooms still run side by side.
 */
const MEMBERSHIP = "*";

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
  return {
    join: {
      schema: joinRequest,
      orderKeys: ({ room }) => [MEMBERSHIP, room],
      async run({ room, since }, socket) {
        // Only this socket's joins and leaves change the rooms it is in, and
        // they wait for this one: what is checked here holds until the ack.
        if (socket.rooms.has(roomOf(room))) {
          // It has every message of the room already: history would repeat them.
          return { history: [], online: presence.lastKnown(room) };
        }
        if (keyedRooms(socket.rooms) >= limits.roomsPerSocket) {
          throw new AppError(
            "bad_request",
            `a socket joins at most ${limits.roomsPerSocket} rooms`,
          );
        }
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
        const reply = (): JoinResult => {
          let joined = false;
          try {
            if (!socket.connected) return { history: [], online: 0 };
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
        // Answered `unavailable` before this reply could run: the place goes.
        return Object.assign(reply, { abandon: () => presence.recount(room) });
      },
    },

    leave: {
      schema: leaveRequest,
      orderKeys: ({ room }) => [MEMBERSHIP, room],
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
