import { z } from "zod";
import {
  HISTORY_LIMIT_MAX,
  MUTE_MINUTES_MAX,
  NONCE_MAX,
  SUBJECT_PATTERN,
  TEXT_MAX,
  type DeleteRequest,
  type JoinRequest,
  type LeaveRequest,
  type MuteRequest,
  type SendRequest,
  type UnmuteRequest,
} from "./index.js";
import { characters, count, digits, roomName } from "./fields.js";

export const joinRequest: z.ZodType<JoinRequest> = z.object({
  room: roomName,
  since: count.optional(),
});

export const leaveRequest: z.ZodType<LeaveRequest> = z.object({ room: roomName });

export const sendRequest: z.ZodType<SendRequest> = z.object({
  room: roomName,
  text: z
    .string()
    .transform((text) => text.trim())
    .pipe(characters(1, TEXT_MAX)),
  nonce: characters(1, NONCE_MAX).optional(),
});

/** Any user id: a guest's anonymous one or a verified `sub`. */
export const userId = z.string().regex(SUBJECT_PATTERN, "must be 1..64 of [A-Za-z0-9_.:@-]");

/** A message's place in its room. */
export const seq = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

export const deleteRequest: z.ZodType<DeleteRequest> = z.object({ room: roomName, seq });

export const muteRequest: z.ZodType<MuteRequest> = z.object({
  userId,
  minutes: z.number().int().min(1).max(MUTE_MINUTES_MAX),
  room: roomName.optional(),
});

export const unmuteRequest: z.ZodType<UnmuteRequest> = z.object({
  userId,
  room: roomName.optional(),
});

export const historyQuery = z.object({
  since: digits.optional(),
  limit: digits.pipe(z.number().min(1).max(HISTORY_LIMIT_MAX)).optional(),
});
