import { Histogram } from "../stats/histogram.js";
import type { Anomalies, Collected } from "./protocol.js";
import type { SubscriptionKind } from "./subscription.js";

/**
 * A load worker's record of live deliveries during one phase: arrival times
 * per position, kept raw until the runner sends the publish times, then
 * folded into a latency histogram. Announces each position that every
 * subscribed viewer of the worker has received.
 */
export class Arrivals {
  private readonly times = new Map<number, number[]>();
  /** Deliveries recorded, by the kind of subscription of the viewer that got them. */
  private readonly kinds = new Map<SubscriptionKind, number>();
  private from = Number.POSITIVE_INFINITY;
  private expected = 0;

  constructor(private readonly complete: (position: number, at: number) => void) {}

  get recording(): boolean {
    return Number.isFinite(this.from);
  }

  /** Records positions from `from` on, each expected by `expected` viewers. */
  start(from: number, expected: number): void {
    this.times.clear();
    this.kinds.clear();
    this.from = from;
    this.expected = expected;
  }

  record(position: number, at: number, kind: SubscriptionKind): void {
    if (position < this.from) return;
    this.kinds.set(kind, (this.kinds.get(kind) ?? 0) + 1);
    let list = this.times.get(position);
    if (!list) this.times.set(position, (list = []));
    list.push(at);
    if (list.length === this.expected) this.complete(position, at);
  }

  /** Ends the phase; `published` pairs each position with its publish time. */
  collect(published: ReadonlyArray<[number, number]>): Omit<Collected, keyof Anomalies> {
    const latency = new Histogram();
    let deliveries = 0;
    let missing = 0;
    const lastArrivals: Array<[number, number]> = [];
    for (const [position, publishedAt] of published) {
      const list = this.times.get(position) ?? [];
      missing += Math.max(0, this.expected - list.length);
      deliveries += list.length;
      let last = Number.NEGATIVE_INFINITY;
      for (const at of list) {
        latency.add(at - publishedAt);
        last = Math.max(last, at);
      }
      if (list.length > 0) lastArrivals.push([position, last]);
    }
    const deliveriesBy = Object.fromEntries(this.kinds);
    this.times.clear();
    this.kinds.clear();
    this.from = Number.POSITIVE_INFINITY;
    return { latency: latency.toJSON(), deliveries, deliveriesBy, missing, lastArrivals };
  }
}
