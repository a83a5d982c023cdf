import { deliveryCost, type AllSubscribersResult } from "../scenarios/all-subscribers.js";
import type { PhaseResult } from "../scenarios/phase.js";
import { median } from "../stats/median.js";
import { decimal, ms, times, whole } from "./format.js";
import { markdownTable } from "./markdown-table.js";

/**
 * The viewers of one match alone, then with sockets following every match:
 * medians of each phase, and of each run's ratio between them.
 */
export function allSubscribersSection(results: readonly AllSubscribersResult[]): string {
  const { viewers, allSubscribers } = results[0];
  const middle = (figure: (result: AllSubscribersResult) => number) => median(results.map(figure));
  const row = (label: string, phase: (result: AllSubscribersResult) => PhaseResult) => [
    label,
    whole(middle((result) => phase(result).deliveriesPerSecond)),
    decimal(
      middle((result) => deliveryCost(phase(result)).perViewerDelivery),
      2,
    ),
    decimal(
      middle((result) => deliveryCost(phase(result)).perDelivery),
      2,
    ),
    ms(middle((result) => phase(result).p99)),
  ];
  const ratio = (key: "perViewerDelivery" | "perDelivery") =>
    times(middle((result) => deliveryCost(result.joined)[key] / deliveryCost(result.alone)[key]));
  return [
    `One matchday instance, ${whole(viewers)} viewers of one match, the sustained phase of the fan-out; ` +
      `then ${whole(allSubscribers)} more sockets follow every match (\`subscribe_all\`), so each update ` +
      "reaches them too, and the same phase runs again. Server CPU per delivery is given two ways: " +
      "divided by the deliveries to the match's viewers alone (the all-subscribers' own deliveries then " +
      "count as overhead, so it rises by their share even if no delivery got dearer), and divided by every delivery.",
    markdownTable(
      [
        "Phase",
        "Deliveries/s (everyone)",
        "CPU µs per delivery to the match's viewers",
        "CPU µs per delivery",
        "p99 ms",
      ],
      [
        row(`${whole(viewers)} viewers of the match`, (result) => result.alone),
        row(`… and ${whole(allSubscribers)} all-subscribers`, (result) => result.joined),
      ],
    ),
    `With over without (median of ${results.length} run${results.length === 1 ? "" : "s"}): ` +
      `${ratio("perViewerDelivery")} per delivery to the match's viewers, ${ratio("perDelivery")} per delivery.`,
  ].join("\n\n");
}
