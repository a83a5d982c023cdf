import { z } from "zod";
import {
  DISPLAY_NAME_MAX,
  ERROR_CODES,
  MATCH_STATUSES,
  MINUTE_MAX,
  TEAM_NAME_MAX,
  TEXT_MAX,
  USER_ID_PATTERN,
  type ChatUser,
  type Deleted,
  type ErrorBody,
  type HandshakeAuth,
  type Match,
  type Message,
  type Presence,
} from "./index.js";
import { characters, count, isoTime, matchId, roomName } from "./fields.js";
import { seq, userId } from "./chat-schemas.js";

/**
 * Schemas of what the server sends (models, event payloads) and of the
 * handshake: the source of the API documents, beside the types they check.
 */

export const team = z.object({ name: characters(1, TEAM_NAME_MAX), score: count });

export const match: z.ZodType<Match> = z
  .object({
    id: matchId,
    home: team,
    away: team,
    status: z.enum(MATCH_STATUSES),
    minute: z.number().int().min(0).max(MINUTE_MAX).nullable(),
    version: z.number().int().min(1),
    updatedAt: isoTime,
  })
  .meta({ title: "Match", description: "The full state of a match." });

export const chatUser: z.ZodType<ChatUser> = z.object({
  id: userId,
  name: characters(1, DISPLAY_NAME_MAX),
  verified: z.literal(true).optional(),
});

export const message: z.ZodType<Message> = z
  .object({
    room: roomName,
    seq,
    user: chatUser,
    text: characters(0, TEXT_MAX),
    ts: isoTime,
    deleted: z.literal(true).optional(),
  })
  .meta({ title: "Message", description: "One chat message, numbered without gaps in its room." });

export const deleted: z.ZodType<Deleted> = z.object({ room: roomName, seq });

export const presence: z.ZodType<Presence> = z.object({ room: roomName, online: count });

export const errorBody: z.ZodType<ErrorBody> = z
  .object({ code: z.enum(ERROR_CODES), message: z.string() })
  .meta({ title: "ErrorBody" });

export const handshakeAuth: z.ZodType<HandshakeAuth> = z.object({
  token: z.string().optional().meta({ description: "A publisher or moderator token" }),
  jwt: z.string().optional().meta({ description: "A signed identity (v1.1)" }),
  name: characters(1, DISPLAY_NAME_MAX).optional(),
  userId: z.string().regex(USER_ID_PATTERN).optional(),
});
