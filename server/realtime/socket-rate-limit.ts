import { TokenBucket } from "./token-bucket.js";

export type RateVerdict = "allow" | "refuse" | "disconnect";

/**
 * The per-socket event limit: refuses events over the rate, and gives up on a
 * socket that stays over it for `graceMs` or `maxRefusals` refused events.
 */
export class SocketRateLimit {
  private readonly bucket: TokenBucket;
  private refusedSince = 0;
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
    if (this.bucket.take(now)) {
      this.refusals = 0;
      return "allow";
    }
    if (this.refusals === 0) this.refusedSince = now;
    this.refusals++;
    const persistent = this.refusals >= this.maxRefusals || now - this.refusedSince >= this.graceMs;
    return persistent ? "disconnect" : "refuse";
  }
}
