import type { BenchOptions, ScenarioId } from "../options.js";
import type { AllSubscribersResult } from "../scenarios/all-subscribers.js";
import type { ChatCatchUpResult } from "../scenarios/chat-catch-up.js";
import type { FanoutResult } from "../scenarios/fanout.js";
import type { FloodIsolationResult } from "../scenarios/flood-isolation.js";
import type { ProfileResult } from "../scenarios/profile.js";
import type { PublisherRateResult } from "../scenarios/publisher-rate.js";
import type { RedisClusterResult } from "../scenarios/redis-cluster.js";
import type { ScoreRecoveryResult } from "../scenarios/score-recovery.js";
import type { Machine } from "./machine.js";

/** Everything one bench run measured, raw (every repetition). */
export interface BenchResults {
  machine: Machine;
  options: BenchOptions;
  /** ISO 8601. */
  startedAt: string;
  minutes: number;
  fanout: FanoutResult[];
  flood: FloodIsolationResult[];
  recovery: ScoreRecoveryResult[];
  chat: ChatCatchUpResult[];
  publisher: PublisherRateResult[];
  allSubscribers: AllSubscribersResult[];
  cluster: RedisClusterResult[];
  profiles: ProfileResult[];
  /** Runs that threw instead of measuring. */
  failures: Failure[];
  /** The server's sources, and whether its build changed while the bench ran. */
  server: { commit: string; dirty: boolean; rebuiltDuringRun: boolean };
  /** Runs discarded (and run again) because other work took a core's time. */
  disturbed: Array<{ what: string; foreignPercent: number }>;
}

export interface Failure {
  scenario: ScenarioId;
  error: string;
}
