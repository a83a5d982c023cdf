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
