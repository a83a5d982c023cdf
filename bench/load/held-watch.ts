import { monotonicMs } from "../support/clock.js";
import type { HeldState } from "./protocol.js";

/**
 * Tracks the lowest position any of a worker's viewers holds, and how many
 * are down, by counting viewers per position; reports each change once per
 * turn of the event loop, stamped with the time of the change.
 */
export class HeldWatch {
  private readonly counts = new Map<number, number>();
  private state: HeldState = { min: 0, down: 0, at: 0 };
  private reported: HeldState | undefined;
  private scheduled = false;
  private active = false;

  constructor(private readonly report: (state: HeldState) => void) {}

  /** Starts watching viewers that hold `positions` with `down` of them down. */
  start(positions: readonly number[], down: number): HeldState {
    this.counts.clear();
    for (const position of positions) this.add(position, 1);
    this.active = true;
    this.state = { min: this.lowest(), down, at: monotonicMs() };
    this.reported = this.state;
    return this.state;
  }

  stop(): void {
    this.active = false;
  }

  moved(from: number, to: number): void {
    if (!this.active) return;
    this.add(from, -1);
    this.add(to, 1);
    if (from === this.state.min && !this.counts.has(from)) this.change({ min: this.lowest() });
  }

  /** A viewer that is down and given up on (it failed to connect) no longer counts. */
  forget(position: number): void {
    if (!this.active) return;
    this.add(position, -1);
    this.change({ min: this.lowest(), down: this.state.down - 1 });
  }

  down(delta: 1 | -1): void {
    if (this.active) this.change({ down: this.state.down + delta });
  }

  private change(part: Partial<HeldState>): void {
    this.state = { ...this.state, ...part, at: monotonicMs() };
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (!this.active) return;
      const { min, down } = this.state;
      if (this.reported?.min === min && this.reported.down === down) return;
      this.reported = this.state;
      this.report(this.state);
    });
  }

  private add(position: number, delta: number): void {
    const count = (this.counts.get(position) ?? 0) + delta;
    if (count === 0) this.counts.delete(position);
    else this.counts.set(position, count);
  }

  private lowest(): number {
    let min = Number.POSITIVE_INFINITY;
    for (const position of this.counts.keys()) if (position < min) min = position;
    return Number.isFinite(min) ? min : 0;
  }
}
