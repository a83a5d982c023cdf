import { z } from "zod";
import {
  CHAT_NAMESPACE,
  SCORES_NAMESPACE,
  type ChatClientToServerEvents,
  type ChatServerToClientEvents,
  type GrantedRole,
  type RequestOf,
  type ResultOf,
  type ScoresClientToServerEvents,
  type ScoresServerToClientEvents,
} from "./index.js";
import {
  deleteRequest,
  joinRequest,
  leaveRequest,
  muteRequest,
  sendRequest,
  unmuteRequest,
} from "./chat-schemas.js";
import { deleted, match, message, presence } from "./model-schemas.js";
import {
  publishRequest,
  subscribeAllRequest,
  subscribeRequest,
  unsubscribeAllRequest,
  unsubscribeRequest,
} from "./scores-schemas.js";
import { isoTime } from "./fields.js";

/** A client-to-server event: its payload, the fields of a successful ack, who may send it. */
export interface ClientEventSchema<P = unknown, R = unknown> {
  summary: string;
  payload: z.ZodType<P>;
  result: z.ZodType<R>;
  role?: GrantedRole;
}

/** A server-to-client event: its payload. */
export interface ServerEventSchema<P = unknown> {
  summary: string;
  payload: z.ZodType<P>;
}

/** One schema per event of a contract map: a new event without one breaks the build. */
type ClientEvents<E> = {
  [K in keyof E & string]: ClientEventSchema<RequestOf<E[K]>, ResultOf<E[K]>>;
};
type ServerEvents<E> = {
  [K in keyof E & string]: E[K] extends (payload: infer P) => void ? ServerEventSchema<P> : never;
};

/** A namespace's events, for documents generated from them. */
export interface NamespaceSchemas {
  name: string;
  summary: string;
  clientToServer: Record<string, ClientEventSchema>;
  serverToClient: Record<string, ServerEventSchema>;
}

const nothing = z.object({});

const scoresClientToServer: ClientEvents<ScoresClientToServerEvents> = {
  subscribe: {
    summary: "Follow matches by id; answered with each newer than the versions held.",
    payload: subscribeRequest,
    result: z.object({ matches: z.array(match) }),
  },
  unsubscribe: { summary: "Stop following matches.", payload: unsubscribeRequest, result: nothing },
  subscribe_all: {
    summary:
      "Follow every match (v1.1); answered with those newer than the versions held, of the 1,000 most recently updated, newest first.",
    payload: subscribeAllRequest,
    result: z.object({ matches: z.array(match) }),
  },
  unsubscribe_all: {
    summary: "Stop following every match; matches subscribed by id stay (v1.1).",
    payload: unsubscribeAllRequest,
    result: nothing,
  },
  publish: {
    summary: "A partial update of a match; creates it when absent.",
    payload: publishRequest,
    result: z.object({ match }),
    role: "publisher",
  },
};

const scoresServerToClient: ServerEvents<ScoresServerToClientEvents> = {
  match: { summary: "The full new state of a followed match.", payload: match },
};

const chatClientToServer: ClientEvents<ChatClientToServerEvents> = {
  join: {
    summary: "Join a room; answered with its recent history or what followed `since`.",
    payload: joinRequest,
    result: z.object({
      history: z.array(message),
      online: z.number().int().min(0),
      truncated: z.literal(true).optional(),
    }),
  },
  leave: { summary: "Leave a room.", payload: leaveRequest, result: nothing },
  send: {
    summary: "Post a message to a joined room.",
    payload: sendRequest,
    result: z.object({ message }),
  },
  delete: {
    summary: "Turn a message into a tombstone (v1.1).",
    payload: deleteRequest,
    result: nothing,
    role: "moderator",
  },
  mute: {
    summary: "Refuse a user's sends until a time (v1.1).",
    payload: muteRequest,
    result: z.object({ until: isoTime }),
    role: "moderator",
  },
  unmute: {
    summary: "End a mute (v1.1).",
    payload: unmuteRequest,
    result: nothing,
    role: "moderator",
  },
};

const chatServerToClient: ServerEvents<ChatServerToClientEvents> = {
  message: { summary: "A new message of a joined room.", payload: message },
  deleted: { summary: "A message of a joined room became a tombstone (v1.1).", payload: deleted },
  presence: { summary: "A joined room's member count changed.", payload: presence },
};

/** Both namespaces of the contract. */
export const NAMESPACE_SCHEMAS: readonly NamespaceSchemas[] = [
  {
    name: SCORES_NAMESPACE,
    summary: "Live scores.",
    clientToServer: scoresClientToServer,
    serverToClient: scoresServerToClient,
  },
  {
    name: CHAT_NAMESPACE,
    summary: "Chat rooms.",
    clientToServer: chatClientToServer,
    serverToClient: chatServerToClient,
  },
];
