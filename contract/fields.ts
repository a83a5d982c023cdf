import { z } from "zod";
import { IDS_PER_REQUEST_MAX, MATCH_ID_PATTERN, ROOM_PATTERN } from "./limits.js";

/** Schemas of the contract's field types, shared by sockets, HTTP and the command line. */

/** Length in Unicode code points, as the contract counts characters. */
export function codePoints(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

export const matchId = z.string().regex(MATCH_ID_PATTERN, "must be 1..64 of [A-Za-z0-9_-]");

export const roomName = z.string().regex(ROOM_PATTERN, "must be 1..64 of [A-Za-z0-9_:-]");

export const matchIds = z.array(matchId).min(1).max(IDS_PER_REQUEST_MAX);

/** A query-string parameter holding a whole number. */
export const digits = z
  .string()
  .regex(/^\d{1,15}$/, "must be a whole number")
  .transform(Number);

/** A time in ISO 8601, as the server writes it. */
export const isoTime = z.iso.datetime();

/** An integer from 0 up. */
export const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** A string of `min..max` Unicode code points. */
export const characters = (min: number, max: number) =>
  z.string().refine(
    (text) => {
      const length = codePoints(text);
      return length >= min && length <= max;
    },
    { message: `must be ${min}..${max} characters` },
  );
