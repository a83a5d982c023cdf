import type { Replicated } from "./types.js";

/**
 * How long `WAIT` may hold a change's answer: well inside the contract's 5 s,
 * and it blocks the shard's command connection while it waits.
 */
const WAIT_MS = 1000;

/**
 * `WAIT replicas` after a change, on the connection that wrote it (a
 * client's `WAIT` covers its own earlier writes). Fewer replicas than asked
 * is an error: the change may be applied, but it is not acknowledged.
 */
export function waitReplicas(
  replicas: number,
  send: (key: string, args: string[]) => Promise<number>,
): Replicated {
  return async (key) => {
    const acknowledged = await send(key, ["WAIT", String(replicas), String(WAIT_MS)]);
    if (acknowledged < replicas) {
      throw new Error(`only ${acknowledged} of ${replicas} replicas hold the change`);
    }
  };
}
