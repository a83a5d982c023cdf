import { MatchdayError, type Connection } from "../client/index.js";

/**
 * The end of a long-running command (`watch`, `chat`): Ctrl-C or SIGTERM,
 * which is a normal end, or a failure that waiting will not fix.
 */
export class SessionEnd {
  private readonly reached: Promise<void>;
  private settle!: (failure?: unknown) => void;

  constructor(private readonly connection: Connection) {
    this.reached = new Promise((resolve, reject) => {
      this.settle = (failure) => (failure === undefined ? resolve() : reject(failure));
    });
    const interrupt = () => this.finish();
    process.once("SIGINT", interrupt);
    process.once("SIGTERM", interrupt);
  }

  /**
   * Waits for the end. A failure of `start` (connecting) ends it sooner;
   * once started, so does the server ending the connection for good.
   */
  async after(start: Promise<unknown>): Promise<void> {
    start.then(
      () =>
        this.connection.onStatus(({ state, retrying, error }) => {
          if (state === "offline" && !retrying) {
            this.fail(error ?? new MatchdayError("unavailable", "closed"));
          }
        }),
      (err: unknown) => this.fail(err),
    );
    await this.reached;
  }

  finish(): void {
    this.settle();
  }

  fail(failure: unknown): void {
    this.settle(failure);
  }
}
