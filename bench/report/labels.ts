import { TARGET_IDS, TARGET_NAMES, type TargetId, type Topology } from "../targets/target.js";

/** How each server is named in the report; matchday in bold, the baselines plain. */
export const LABELS = Object.fromEntries(
  TARGET_IDS.map((id) => [id, id === "matchday" ? `**${TARGET_NAMES[id]}**` : TARGET_NAMES[id]]),
) as Record<TargetId, string>;

/** A topology as the report says it. */
export const topologyLabel = (topology: Topology) =>
  topology === "single" ? "alone" : "two on Redis";
