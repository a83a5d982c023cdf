import { sleep } from "../support/clock.js";
import { Connection } from "../wire/connection.js";
import { readNumberAfter, type Dialect } from "../wire/dialect.js";
import type { Subscription } from "./subscription.js";

/** Where a viewer reports what happens to it. */
export interface ViewerSink {
  /** The position held went from `from` to `to`; `live` when an event brought it, not an ack. */
  moved(from: number, to: number, live: boolean): void;
  /** A position came twice or out of order, or (in a contiguous stream) after a hole. */
  disorder(): void;
  up(): void;
  down(unexpected: boolean): void;
}

/**
 * socket.io-client's default reconnection delay: 1 s doubling per attempt,
 * ±50 % jitter, at most 5 s. Failover mimics a real browser, not a
 * stampede with no delay.
 */
const backoffMs = (attempt: number) => Math.min(1000 * 2 ** attempt * (0.5 + Math.random()), 5000);

/** One simulated viewer: a connection, its subscription, and the position it holds. */
export class Viewer {
  /** The highest position received. */
  held = 0;
  subscribed = false;
  private connection: Connection | undefined;
  private stopped = false;
  private reconnecting = false;
  private readonly field: Buffer;

  constructor(
    private port: number,
    private readonly dialect: Dialect,
    private readonly subscription: Subscription,
    private readonly sink: ViewerSink,
    private readonly failoverPort?: number,
  ) {
    this.field = Buffer.from(subscription.field);
  }

  /**
   * Connects and subscribes with what it holds; resolves once the
   * subscription is answered. A failed or refused attempt is tried again
   * with the client's backoff, `attempts` times in all.
   */
  async start(attempts = 1): Promise<void> {
    this.stopped = false;
    await this.attempt(attempts);
  }

  /** Closes the connection and stays away. */
  stop(): void {
    this.stopped = true;
    this.connection?.close();
  }

  private async connect(): Promise<void> {
    const connection = new Connection(this.port, this.dialect, undefined, {
      onTracked: (frame) => this.advance(readNumberAfter(frame, this.field), true),
      onClose: () => this.closed(connection),
    });
    this.connection = connection;
    try {
      await connection.ready;
      const { event, payload } = this.subscription.request(this.held);
      await connection.emit(event, payload, (ack) => {
        for (const position of this.subscription.positionsIn(ack)) this.advance(position, false);
      });
    } catch (err) {
      connection.close();
      throw err;
    }
    this.subscribed = true;
    this.sink.up();
  }

  private advance(position: number, live: boolean): void {
    const held = this.held;
    if (position <= held) return this.sink.disorder();
    if (this.subscription.contiguous && held > 0 && position !== held + 1) this.sink.disorder();
    this.held = position;
    this.sink.moved(held, position, live);
  }

  private closed(connection: Connection): void {
    if (connection !== this.connection) return;
    if (this.subscribed) {
      this.subscribed = false;
      this.sink.down(!this.stopped);
    }
    if (!this.stopped && this.failoverPort !== undefined && !this.reconnecting) {
      void this.failOver(this.failoverPort);
    }
  }

  private async failOver(port: number): Promise<void> {
    this.reconnecting = true;
    this.port = port;
    // A client waits a backoff delay before its first reconnect, too.
    await sleep(backoffMs(0));
    await this.attempt(Number.POSITIVE_INFINITY, 1).catch(() => {});
    this.reconnecting = false;
  }

  /** Tries to connect until it works, `attempts` times at most, waiting the backoff between tries. */
  private async attempt(attempts: number, firstBackoff = 0): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.connect();
      } catch (err) {
        if (this.stopped || attempt + 1 >= attempts) throw err;
        await sleep(backoffMs(firstBackoff + attempt));
      }
    }
  }
}
