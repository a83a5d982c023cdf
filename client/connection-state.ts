import type { MatchdayError } from "./matchday-error.js";
import type { TransportName } from "./transport-policy.js";

/**
 * - `connecting`: never connected yet, first attempt under way.
 * - `live`: connected; events flow.
 * - `reconnecting`: the connection dropped; trying again.
 * - `offline`: the last attempt failed (still retrying, unless `error` says
 *   the server refused the handshake or the connection was closed).
 */
export type ConnectionState = "connecting" | "live" | "reconnecting" | "offline";

export interface ConnectionStatus {
  state: ConnectionState;
  /** The transport of the current or last session; undefined before the first. */
  transport: TransportName | undefined;
  /** Why the connection is offline. */
  error?: MatchdayError;
  /** False once nothing will retry: closed, or refused by the server. */
  retrying: boolean;
}

/** Of several namespaces on one connection, the one worst off tells. */
const SEVERITY: Record<ConnectionState, number> = {
  live: 0,
  connecting: 1,
  reconnecting: 2,
  offline: 3,
};

export function worstOf(states: readonly ConnectionState[]): ConnectionState {
  return states.reduce<ConnectionState>(
    (worst, state) => (SEVERITY[state] > SEVERITY[worst] ? state : worst),
    "live",
  );
}
