import { deliveryCost, type AllSubscribersResult } from "../scenarios/all-subscribers.js";
import type { ChatCatchUpResult } from "../scenarios/chat-catch-up.js";
import type { FanoutResult } from "../scenarios/fanout.js";
import type { FloodIsolationResult } from "../scenarios/flood-isolation.js";
import type { PublisherRateResult } from "../scenarios/publisher-rate.js";
import type { ScoreRecoveryResult } from "../scenarios/score-recovery.js";
import { decimal, KIB, ms, percentiles, times, whole } from "./format.js";

/** One line per finished run, so a long bench shows where it is. */

export function fanoutLine(result: FanoutResult): string {
  const { latency, throughput } = result;
  const busiest = throughput.loads[0];
  const lost = latency.missing + throughput.missing;
  return (
    `${result.target.padEnd(8)} ${result.topology.padEnd(6)} ${whole(result.viewers).padStart(6)} viewers: ` +
    `${decimal(result.memory.perViewerBytes / KIB)} KiB/viewer, ${whole(result.connect.perSecond)} connects/s, ` +
    `p99 ${ms(latency.p99)} ms @20k/s, sustained ${whole(throughput.deliveriesPerSecond)}/s at ` +
    `${decimal(throughput.cpuUsPerDelivery)} µs/delivery (busiest: ${busiest.name} ${whole(busiest.percent)}%)` +
    (lost > 0 ? `, ${whole(lost)} lost` : "")
  );
}

export function floodLine({
  target,
  viewers,
  quiet,
  flooded,
  flood,
}: FloodIsolationResult): string {
  const lost = quiet.missing + flooded.missing;
  return withErrors(
    `${target.padEnd(8)} flood  ${whole(viewers).padStart(6)} viewers: p50 / p99 / max ` +
      `${percentiles(quiet)} ms, flooded ${percentiles(flooded)} ms (p99 ${times(flooded.p99 / quiet.p99)}); ` +
      `${whole(flood.sent / flood.seconds)} flood events/s sent, ${whole(flood.disconnects)} disconnected; ` +
      `server ${whole(quiet.serverCpuPercent)}% → ${whole(flooded.serverCpuPercent)}%` +
      (lost > 0 ? `, ${whole(lost)} lost` : ""),
    [...new Set([...quiet.errors, ...flooded.errors])],
  );
}

export function recoveryLine(result: ScoreRecoveryResult): string {
  return withErrors(
    `failover: ${whole(result.moved)} viewers moved; all hold the latest after ` +
      `${decimal(result.latestMs / 1000, 2)} s (${whole(result.listenOverflows)} listen-queue overflows)`,
    result.errors,
  );
}

export function chatLine(result: ChatCatchUpResult): string {
  return withErrors(
    `chat catch-up: ${whole(result.members)} members, ${whole(result.missed)} missed; all caught up after ` +
      `${decimal(result.catchUpMs / 1000, 2)} s, ${whole(result.redisCommands)} Redis commands`,
    result.errors,
  );
}

function withErrors(line: string, errors: readonly string[]): string {
  return [line, ...errors.map((error) => `    ❌ ${error}`)].join("\n");
}

export function publisherLine({
  topology,
  matches,
  publishesPerSecond,
}: PublisherRateResult): string {
  return `publisher ${topology.padEnd(6)} ${matches} matches: ${whole(publishesPerSecond)} publishes/s`;
}

export function allSubscribersLine(result: AllSubscribersResult): string {
  const alone = deliveryCost(result.alone);
  const joined = deliveryCost(result.joined);
  const cost = (key: keyof typeof alone) =>
    `${decimal(alone[key], 2)} → ${decimal(joined[key], 2)} µs (${times(joined[key] / alone[key])})`;
  return withErrors(
    `all-subscribers: ${whole(result.viewers)} viewers of one match, then ${whole(result.allSubscribers)} ` +
      `following every match too: server CPU per delivery to the match's viewers ${cost("perViewerDelivery")}, ` +
      `per delivery to anyone ${cost("perDelivery")}; sustained ` +
      `${whole(result.alone.deliveriesPerSecond)} → ${whole(result.joined.deliveriesPerSecond)} deliveries/s`,
    result.errors,
  );
}
