import { z } from "zod";
import {
  MATCH_STATUSES,
  MINUTE_MAX,
  TEAM_NAME_MAX,
  type MatchUpdate,
  type SubscribeRequest,
  type UnsubscribeRequest,
} from "../../contract/index.js";
import { characters, count, matchId, matchIds } from "../realtime/fields.js";

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

export const subscribeRequest: z.ZodType<SubscribeRequest> = z.object({
  ids: matchIds,
  versions: z.record(z.string(), count).optional(),
});

export const unsubscribeRequest: z.ZodType<UnsubscribeRequest> = z.object({ ids: matchIds });
