import {
  fetchMatch,
  isRetryable,
  MatchdayError,
  publish,
  type Connection,
} from "../../client/index.js";
import { backoffDelay, sleep } from "../../client/backoff.js";
import type { Match, MatchUpdate } from "../../contract/index.js";
import { applyUpdate } from "../../contract/apply-update.js";

/** How long a feed retries one step through an outage before it gives up. */
export const STEP_RETRY_WINDOW_S = 60;

export interface PublishStateOptions {
  /** The version this publisher last saw of the match (0: none). */
  knownVersion: number;
  /** Retrying stops at this time (ms since the epoch) with the last failure. */
  deadline: number;
  /** Called before each retry, with the failure that caused it. */
  onRetry?: (failure: MatchdayError) => void;
}

const isConflict = (err: unknown) => err instanceof MatchdayError && err.code === "conflict";

/**
 * Makes the server hold `state` (a match's full state), whatever fails on
 * the way. Each attempt carries `expectedVersion`, so a write whose answer
 * was lost can never land on top of a newer state later. After a lost answer
 * or a conflict, the server's state tells whether `state` is there already
 * (then it is not published again) and which version the next attempt
 * expects: the feed's state wins over whatever else changed the match.
 */
export async function publishState(
  connection: Connection,
  state: Omit<MatchUpdate, "expectedVersion">,
  { knownVersion, deadline, onRetry }: PublishStateOptions,
): Promise<Match> {
  let expectedVersion = knownVersion;
  let unsure = false;
  for (let attempt = 0; ; attempt++) {
    try {
      if (unsure) {
        const current = await fetchMatch(connection.url, state.id);
        if (current && !applyUpdate(current, state, new Date()).changed) return current;
        expectedVersion = current?.version ?? 0;
      }
      return await publish(connection, { ...state, expectedVersion });
    } catch (err) {
      if (!(isRetryable(err) || isConflict(err)) || Date.now() >= deadline) throw err;
      unsure = true;
      onRetry?.(err as MatchdayError);
      if (isRetryable(err)) await sleep(backoffDelay(attempt));
    }
  }
}
