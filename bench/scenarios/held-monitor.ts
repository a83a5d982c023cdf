import type { LoadPool } from "../load/load-pool.js";
import type { HeldState } from "../load/protocol.js";

type Condition = (monitor: HeldMonitor) => boolean;

interface Waiter {
  condition: Condition;
  resolve(at: number): void;
}

/**
 * The runner's view of where all viewers stand (the lowest position held,
 * how many are down), from the load workers' reports. Conditions are checked
 * on every report, so the time a condition first held is exact to a report.
 */
export class HeldMonitor {
  private states: HeldState[] = [];
  private readonly waiters = new Set<Waiter>();

  private readonly onHeld = (worker: number, state: HeldState) => {
    this.states[worker] = state;
    for (const waiter of [...this.waiters]) {
      if (waiter.condition(this)) {
        this.waiters.delete(waiter);
        waiter.resolve(this.at);
      }
    }
  };

  private constructor(private readonly pool: LoadPool) {}

  static async start(pool: LoadPool): Promise<HeldMonitor> {
    const monitor = new HeldMonitor(pool);
    pool.on("held", monitor.onHeld);
    monitor.states = await pool.all("watch", {});
    return monitor;
  }

  /** The lowest position any viewer holds. */
  get min(): number {
    return Math.min(...this.states.map((state) => state.min));
  }

  /** Viewers not subscribed right now. */
  get down(): number {
    return this.states.reduce((sum, state) => sum + state.down, 0);
  }

  /** When the current state came about (monotonic ms). */
  get at(): number {
    return Math.max(...this.states.map((state) => state.at));
  }

  /**
   * Resolves with the time `condition` first holds, from now on (at once if
   * it holds already); rejects after `timeoutMs`. Ask for every condition of
   * interest before awaiting any, so none is checked late.
   */
  when(condition: Condition, timeoutMs: number, what: string): Promise<number> {
    if (condition(this)) return Promise.resolve(this.at);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`not within ${timeoutMs} ms: ${what}`));
      }, timeoutMs);
      const waiter: Waiter = {
        condition,
        resolve: (at) => {
          clearTimeout(timer);
          resolve(at);
        },
      };
      this.waiters.add(waiter);
    });
  }

  stop(): void {
    this.pool.off("held", this.onHeld);
  }
}
