import type { TargetId, Topology } from "../targets/target.js";

/** How each server is named in the report; matchday in bold, the baselines plain. */
export const LABELS: Record<TargetId, string> = {
  ws: "bare ws",
  socketio: "Socket.IO + Redis adapter",
  matchday: "**matchday**",
};

/** A topology as the report says it. */
export const topologyLabel = (topology: Topology) =>
  topology === "single" ? "alone" : "two on Redis";
