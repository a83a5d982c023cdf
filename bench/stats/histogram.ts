/** The smallest latency told apart from zero, in ms (1 µs). */
const FLOOR_MS = 0.001;
/** Each bucket is 1 % wider than the last: quantiles are 1 % precise. */
const LOG_GROWTH = Math.log(1.01);

/** A histogram as it travels between processes. */
export interface HistogramData {
  /** `[bucket, count]` pairs. */
  buckets: Array<[number, number]>;
  count: number;
  max: number;
}

/**
 * Latencies in logarithmic buckets: every load worker fills one, the runner
 * merges them, and quantiles come out without shipping every sample.
 */
export class Histogram {
  private readonly counts = new Map<number, number>();
  private total = 0;
  private maximum = 0;

  get max(): number {
    return this.maximum;
  }

  add(ms: number): void {
    const bucket = ms <= FLOOR_MS ? 0 : Math.ceil(Math.log(ms / FLOOR_MS) / LOG_GROWTH);
    this.counts.set(bucket, (this.counts.get(bucket) ?? 0) + 1);
    this.total++;
    if (ms > this.maximum) this.maximum = ms;
  }

  merge(data: HistogramData): void {
    for (const [bucket, count] of data.buckets) {
      this.counts.set(bucket, (this.counts.get(bucket) ?? 0) + count);
    }
    this.total += data.count;
    this.maximum = Math.max(this.maximum, data.max);
  }

  /** The latency under which a share `q` (0..1) of the samples fall, in ms; NaN when empty. */
  quantile(q: number): number {
    if (this.total === 0) return Number.NaN;
    const rank = Math.ceil(q * this.total);
    let seen = 0;
    for (const bucket of [...this.counts.keys()].sort((a, b) => a - b)) {
      seen += this.counts.get(bucket)!;
      if (seen >= rank) return Math.min(this.maximum, FLOOR_MS * Math.exp(bucket * LOG_GROWTH));
    }
    return this.maximum;
  }

  toJSON(): HistogramData {
    return { buckets: [...this.counts], count: this.total, max: this.maximum };
  }
}
