import { deadline } from "../deadline.js";
import type { Logger } from "../logger.js";
import type { Relay } from "./relay.js";

/**
 * How often every relay compares stored heads with what it delivered. With
 * the read that follows, a lost broadcast is repaired well within the
 * contract's 5 s, even when nothing signalled the loss.
 */
export const SWEEP_EVERY_MS = 2000;

/** Runs relay sweeps on a timer and on demand, never two at once. */
export class Sweeper {
  private running = false;
  private again = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly relays: ReadonlyArray<Pick<Relay<unknown>, "sweep">>,
    private readonly logger: Logger,
  ) {
    this.timer = setInterval(() => this.sweepNow(), SWEEP_EVERY_MS);
  }

  sweepNow(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.run();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async run(): Promise<void> {
    do {
      this.again = false;
      const sweeps = this.relays.map((relay) => relay.sweep());
      try {
        await deadline(Promise.all(sweeps), SWEEP_EVERY_MS, "sweep");
      } catch (err) {
        this.logger.debug({ err }, "sweep failed; the next one retries");
      }
    } while (this.again);
    this.running = false;
  }
}
