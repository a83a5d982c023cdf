import type { PublisherRateResult } from "../scenarios/publisher-rate.js";
import { median } from "../stats/median.js";
import { whole } from "./format.js";
import { topologyLabel } from "./labels.js";
import { markdownTable } from "./markdown-table.js";

/** One row per topology: the median publishes/s of one publisher socket over several matches. */
export function publisherSection(results: readonly PublisherRateResult[]): string {
  const topologies = [...new Set(results.map((result) => result.topology))];
  return [
    "One publisher socket feeding several matches side by side (each match's publishes one after the previous ack), no viewers, the per-socket limit lifted: how fast one socket's publishes are stored and answered.",
    markdownTable(
      ["Topology", "Matches", "Publishes/s (median)", "Runs"],
      topologies.map((topology) => {
        const runs = results.filter((result) => result.topology === topology);
        const rates = runs.map((result) => result.publishesPerSecond);
        return [
          topologyLabel(topology),
          whole(runs[0].matches),
          whole(median(rates)),
          rates.map(whole).join(", "),
        ];
      }),
    ),
  ].join("\n\n");
}
