import { TokenBucket } from "./token-bucket.js";

export type RateVerdict = "allow" | "refuse" | "disconnect";

/**
 * The limits are rates per second: a socket refused nothing for this long is
 * back under its limit, and its next refusal starts a new streak.
 */
const CALM_MS = 1000;

/**
 * The per-socket event limit: refuses events over the rate, and gives up on a
 * socket that stays over it for `graceMs` or `maxRefusals` refused events.
 * Events the bucket still lets through do not end a streak: a socket sending
 * at twice its rate gets every other event allowed, yet is over its limit all
 * along.
 */
export class SocketRateLimit {
  private readonly bucket: TokenBucket;
  private refusedSince = 0;
  private lastRefusal = Number.NEGATIVE_INFINITY;
  private refusals = 0;

  constructor(
    rate: number,
    burst: number,
    private readonly graceMs: number,
    private readonly maxRefusals: number,
  ) {
    this.bucket = new TokenBucket(rate, burst);
  }

  check(now = performance.now()): RateVerdict {
    if (this.bucket.take(now)) return "allow";
    if (now - this.lastRefusal >= CALM_MS) {
      this.refusedSince = now;
      this.refusals = 0;
    }
    this.lastRefusal = now;
    this.refusals++;
    const persistent = this.refusals >= this.maxRefusals || now - this.refusedSince >= this.graceMs;
    return persistent ? "disconnect" : "refuse";
  }
}
