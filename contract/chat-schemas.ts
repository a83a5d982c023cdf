import { z } from "zod";
import {
  HISTORY_LIMIT_MAX,
  NONCE_MAX,
  TEXT_MAX,
  type JoinRequest,
  type LeaveRequest,
  type SendRequest,
} from "../../contract/index.js";
import { characters, count, digits, roomName } from "../realtime/fields.js";

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

export const historyQuery = z.object({
  since: digits.optional(),
  limit: digits.pipe(z.number().min(1).max(HISTORY_LIMIT_MAX)).optional(),
});
