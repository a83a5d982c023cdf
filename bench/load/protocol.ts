import type { HistogramData } from "../stats/histogram.js";
import type { DialectSpec } from "../wire/dialect.js";
import type { SubscriptionKind, SubscriptionSpec } from "./subscription.js";

/** Viewers of one server, as the runner asks a load worker for them. */
export interface ViewerGroup {
  port: number;
  count: number;
  dialect: DialectSpec;
  subscription: SubscriptionSpec;
  /** Where viewers reconnect, with the client's backoff, when their server goes away. */
  failoverPort?: number;
}

export interface ConnectReport {
  /** Monotonic ms when the first connection started and the last subscription was answered. */
  started: number;
  finished: number;
  connected: number;
  failed: number;
  firstError?: string;
}

/** What went wrong for a worker's viewers. */
export interface Anomalies {
  /** Positions that came twice or out of order (in contiguous streams, after a hole too). */
  disorder: number;
  /** Viewers whose connection dropped without being asked to. */
  drops: number;
}

export type DeliveriesBy = Partial<Record<SubscriptionKind, number>>;

/** What a worker's viewers received during a recorded phase. */
export interface Collected extends Anomalies {
  /** Publish-to-arrival latencies of live deliveries, ms. */
  latency: HistogramData;
  deliveries: number;
  /** The same, split by the kind of subscription of the viewers that got them. */
  deliveriesBy: DeliveriesBy;
  /** Deliveries expected (every subscribed viewer, every published position) that never came. */
  missing: number;
  /** Per position that arrived at all: the latest arrival at this worker, monotonic ms. */
  lastArrivals: Array<[number, number]>;
}

/** Where a worker's viewers stand, reported whenever it changes while watched. */
export interface HeldState {
  /** The lowest position any viewer holds. */
  min: number;
  /** Viewers not subscribed right now (reconnecting, or told to disconnect). */
  down: number;
  /** Monotonic ms of the change. */
  at: number;
}

/** Every command a load worker takes, with its arguments and its reply. */
export interface Commands {
  connect: { args: { groups: ViewerGroup[]; concurrency: number }; reply: ConnectReport };
  /** Starts recording deliveries of positions from `from` on. */
  record: { args: { from: number }; reply: { expected: number } };
  /** Ends a recording: `published` pairs each position with its publish time. */
  collect: { args: { published: Array<[number, number]> }; reply: Collected };
  /** Answers the anomaly counters since the last `record` or `anomalies`, and resets them. */
  anomalies: { args: object; reply: Anomalies };
  /** Starts reporting {@link HeldState} changes. */
  watch: { args: object; reply: HeldState };
  /** Drops every viewer's connection, keeping what it holds. */
  disconnect: { args: object; reply: object };
  /** Connects every viewer again, asking for what it missed, each trying up to `attempts` times. */
  reconnect: { args: { concurrency: number; attempts: number }; reply: ConnectReport };
  /** Drops every viewer for good. */
  close: { args: object; reply: object };
}

export type CommandName = keyof Commands;

export type WorkerRequest = {
  [K in CommandName]: { id: number; command: K; args: Commands[K]["args"] };
}[CommandName];

export type WorkerMessage =
  | { type: "reply"; id: number; body: unknown }
  | { type: "failed"; id: number; error: string }
  /** Every subscribed viewer of the worker holds `position`. */
  | { type: "complete"; position: number; at: number }
  | ({ type: "held" } & HeldState);

/** A flood, as the runner asks a flooder process for it (its one argument, as JSON). */
export interface FloodSpec {
  port: number;
  dialect: DialectSpec;
  /** Hostile sockets flooding at once. */
  sockets: number;
  /** Events each hostile socket keeps unanswered, at most. */
  inFlight: number;
}

/** What a flood did, from its first session to its stop. */
export interface FloodCounts {
  seconds: number;
  /** Events written. */
  sent: number;
  /** Events the server answered, refusals included. */
  answered: number;
  /** Answers that were `rate_limited`. */
  refused: number;
  /** Connections that got into the namespace. */
  sessions: number;
  /** Of those, the ones the server closed (the flooder closes none before it stops). */
  disconnects: number;
}

/** A flooder's reports: its first session is in; then, once told to stop, its counts. */
export type FlooderMessage = { type: "flooding" } | ({ type: "stopped" } & FloodCounts);
