/** Number formats shared by the console table and the Markdown report. */

export const KIB = 1024;

export function whole(value: number): string {
  return Number.isFinite(value) ? Math.round(value).toLocaleString("en-US") : "n/a";
}

export function decimal(value: number, digits = 1): string {
  return Number.isFinite(value) ? value.toFixed(digits) : "n/a";
}

/** A ratio as `0.87×`. */
export function times(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}×` : "n/a";
}

/** A latency in ms: whole above 10 ms, one decimal below. */
export function ms(value: number): string {
  return Number.isFinite(value) ? (value >= 10 ? whole(value) : value.toFixed(1)) : "n/a";
}

/** Latency quantiles as `p50 / p99 / max`, in ms. */
export function percentiles({ p50, p99, max }: { p50: number; p99: number; max: number }): string {
  return `${ms(p50)} / ${ms(p99)} / ${ms(max)}`;
}

/** ` (low–high)` over the runs, when there were several and they differ. */
export function spread([low, high]: [number, number], format: (value: number) => string): string {
  return low === high ? "" : ` (${format(low)}–${format(high)})`;
}
