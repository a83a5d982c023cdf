/** The most events a token bucket (`burst`, refilled at `perSecond`) lets through in `ms`. */
export function allowance(burst: number, perSecond: number, ms: number): number {
  return burst + Math.ceil((perSecond * ms) / 1000);
}
