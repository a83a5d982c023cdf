import { z } from "zod";
import {
  LONG_POLL_WAIT_MAX_S,
  LONG_POLL_WAIT_MIN_S,
  MATCH_STATUSES,
  MINUTE_MAX,
  TEAM_NAME_MAX,
  type MatchUpdate,
  type SubscribeAllRequest,
  type SubscribeRequest,
  type UnsubscribeAllRequest,
  type UnsubscribeRequest,
} from "./index.js";
import { characters, count, digits, matchId, matchIds } from "./fields.js";

const teamPatch = z.object({
  name: characters(1, TEAM_NAME_MAX).optional(),
  score: count.optional(),
});

/** A publish body, without `id` (HTTP takes it from the URL). */
export const matchPatch = z.object({
  home: teamPatch.optional(),
  away: teamPatch.optional(),
  status: z.enum(MATCH_STATUSES).optional(),
  minute: z.number().int().min(0).max(MINUTE_MAX).nullable().optional(),
  expectedVersion: count.optional(),
});

export const publishRequest: z.ZodType<MatchUpdate> = matchPatch.extend({ id: matchId });

/** The versions a client holds, per match. */
const heldVersions = z.record(z.string(), count);

export const subscribeRequest: z.ZodType<SubscribeRequest> = z.object({
  ids: matchIds,
  versions: heldVersions.optional(),
});

export const subscribeAllRequest: z.ZodType<SubscribeAllRequest> = z.object({
  versions: heldVersions.optional(),
});

export const unsubscribeAllRequest: z.ZodType<UnsubscribeAllRequest> = z.object({});

export const unsubscribeRequest: z.ZodType<UnsubscribeRequest> = z.object({ ids: matchIds });

/** `PUT /api/matches/:id`: a publish body whose `id`, if given, equals the URL's. */
export const putBody = matchPatch.extend({ id: matchId.optional() });

/** `GET /api/matches/:id`'s query: the long poll. */
export const longPollQuery = z.object({
  after: digits.optional(),
  wait: digits.pipe(z.number().min(LONG_POLL_WAIT_MIN_S).max(LONG_POLL_WAIT_MAX_S)).optional(),
});
