import type { LoadPool } from "../load/load-pool.js";
import type { Collected, DeliveriesBy } from "../load/protocol.js";
import type { SubscriptionKind } from "../load/subscription.js";
import { monotonicMs, sleep } from "../support/clock.js";
import type { CoreLoad, CpuMeter, CpuWindow, ProcessLoad } from "../support/cpu-meter.js";
import { Histogram } from "../stats/histogram.js";
import type { Publisher } from "../targets/publisher.js";

/** A phase gives up on updates that reached nobody new for this long. */
const STALL_MS = 5000;

/** What one publishing phase measured. */
export interface PhaseResult {
  updates: number;
  deliveries: number;
  /** The same, by the kind of subscription of the viewers that got them. */
  deliveriesBy: DeliveriesBy;
  /** Deliveries that never came (every subscribed viewer should get every update). */
  missing: number;
  disorder: number;
  /** Viewers whose connection dropped during the phase. */
  drops: number;
  /** From the first publish to the last arrival. */
  seconds: number;
  deliveriesPerSecond: number;
  /** Publish-to-arrival latency of each delivery, ms. */
  p50: number;
  p99: number;
  max: number;
  serverCpuPercent: number;
  /** Server CPU time over the phase divided by deliveries. */
  cpuUsPerDelivery: number;
  /** Redis CPU time over the phase (every node of a cluster) divided by deliveries. */
  redisUsPerDelivery: number;
  /** Every measured process, busiest first. */
  loads: ProcessLoad[];
  cores: CoreLoad[];
  errors: string[];
}

export interface PhaseContext {
  pool: LoadPool;
  publisher: Publisher;
  meter: CpuMeter;
}

/**
 * Open loop: `rate` updates per second for `seconds`, on schedule whatever
 * the server does, so a server that falls behind shows it in latency.
 */
export async function openLoop(ctx: PhaseContext, rate: number, seconds: number) {
  const phase = await Phase.begin(ctx);
  const count = Math.max(1, Math.round(rate * seconds));
  const start = monotonicMs();
  for (let i = 0; i < count; i++) {
    await sleep(start + (i * 1000) / rate - monotonicMs());
    phase.publish();
  }
  return phase.end();
}

/**
 * Closed loop: the next update goes out as soon as the server has answered
 * the previous one, while at most `inFlight` updates are still on their way
 * to viewers, for `seconds`. The server always has work and viewers bound
 * the queue: this finds the rate it sustains, since offered any faster,
 * updates would only queue.
 */
export async function closedLoop(ctx: PhaseContext, inFlight: number, seconds: number) {
  const phase = await Phase.begin(ctx);
  const endAt = monotonicMs() + seconds * 1000;
  phase.onProgress = () => {
    while (
      monotonicMs() < endAt &&
      ctx.publisher.unanswered === 0 &&
      phase.outstanding < inFlight
    ) {
      phase.publish();
    }
  };
  phase.onProgress();
  await sleep(endAt - monotonicMs());
  return phase.end();
}

/** One recorded phase: publishes, completions from the workers, CPU, and the collection. */
class Phase {
  /** Called after every answered publish and every update that reached all viewers. */
  onProgress: () => void = () => {};
  private readonly published: Array<[number, number]> = [];
  private readonly completions = new Map<number, number>();
  private readonly errors: string[] = [];
  private reached = 0;
  private lastProgress = monotonicMs();

  private readonly onComplete = (_worker: number, position: number) => {
    const count = (this.completions.get(position) ?? 0) + 1;
    this.completions.set(position, count);
    if (count < this.ctx.pool.size) return;
    this.reached++;
    this.lastProgress = monotonicMs();
    this.onProgress();
  };

  private constructor(private readonly ctx: PhaseContext) {}

  static async begin(ctx: PhaseContext): Promise<Phase> {
    const phase = new Phase(ctx);
    await ctx.pool.all("record", { from: ctx.publisher.latest + 1 });
    ctx.pool.on("complete", phase.onComplete);
    ctx.meter.start();
    return phase;
  }

  /** Updates published and not yet received by every viewer. */
  get outstanding(): number {
    return this.published.length - this.reached;
  }

  publish(): void {
    const { version, sentAt, acked } = this.ctx.publisher.publish();
    this.published.push([version, sentAt]);
    acked.then(
      () => {
        this.lastProgress = monotonicMs();
        this.onProgress();
      },
      (err: Error) => this.errors.push(err.message),
    );
  }

  /** Waits for every update to be answered and to reach every viewer (or to stall), then collects. */
  async end(): Promise<PhaseResult> {
    const busy = () => this.outstanding > 0 || this.ctx.publisher.unanswered > 0;
    while (busy() && monotonicMs() - this.lastProgress < STALL_MS) await sleep(5);
    this.onProgress = () => {};
    const cpu = this.ctx.meter.stop();
    this.ctx.pool.off("complete", this.onComplete);
    const collected = await this.ctx.pool.all("collect", { published: this.published });
    return this.summarize(collected, cpu);
  }

  private summarize(collected: Collected[], cpu: CpuWindow): PhaseResult {
    const latency = new Histogram();
    const last = new Map<number, number>();
    let deliveries = 0;
    const deliveriesBy: DeliveriesBy = {};
    let missing = 0;
    let disorder = 0;
    let drops = 0;
    for (const part of collected) {
      latency.merge(part.latency);
      deliveries += part.deliveries;
      for (const kind of Object.keys(part.deliveriesBy) as SubscriptionKind[]) {
        deliveriesBy[kind] = (deliveriesBy[kind] ?? 0) + (part.deliveriesBy[kind] ?? 0);
      }
      missing += part.missing;
      disorder += part.disorder;
      drops += part.drops;
      for (const [position, at] of part.lastArrivals) {
        last.set(position, Math.max(last.get(position) ?? Number.NEGATIVE_INFINITY, at));
      }
    }
    const firstSent = this.published[0]?.[1] ?? Number.NaN;
    const lastArrival = Math.max(...last.values());
    const seconds = (lastArrival - firstSent) / 1000;
    if (missing > 0) this.errors.push(`${missing} deliveries never arrived`);
    return {
      updates: this.published.length,
      deliveries,
      deliveriesBy,
      missing,
      disorder,
      drops,
      seconds,
      deliveriesPerSecond: deliveries / seconds,
      p50: latency.quantile(0.5),
      p99: latency.quantile(0.99),
      max: latency.max,
      serverCpuPercent: cpu.serverCpuMs / cpu.seconds / 10,
      cpuUsPerDelivery: (cpu.serverCpuMs * 1000) / deliveries,
      redisUsPerDelivery: (cpu.redisCpuMs * 1000) / deliveries,
      loads: cpu.loads,
      cores: cpu.cores,
      errors: [...new Set(this.errors)],
    };
  }
}
