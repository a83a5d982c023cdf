import type { Match } from "../../contract/index.js";
import { okBody } from "../load/subscription.js";
import { monotonicMs } from "../support/clock.js";
import { Connection } from "../wire/connection.js";
import type { DialectSpec } from "../wire/dialect.js";
import { dialectFor } from "../wire/dialects.js";

/** One publish in flight. */
export interface Published {
  version: number;
  /** Monotonic ms when the publish was asked for. */
  sentAt: number;
  /** Settles with the ack; rejects when it refuses or names another version. */
  acked: Promise<void>;
}

/**
 * The one publisher of a run: a socket that creates the match, then sends
 * score changes one at a time, each once the previous one is answered, as a
 * score feed would. (Pipelined publishes to one match make matchday's Redis
 * store retry its compare-and-set and apply them out of order; see the
 * report.) Each version is predicted, so arrivals can be matched to publish
 * times before the ack comes back, and the prediction is checked against the
 * ack. A publish's time is when it was asked for, not when its frame left:
 * time spent queued behind a slow ack counts as latency.
 */
export class Publisher {
  private score = 0;
  private previous: Promise<unknown> = Promise.resolve();
  private waiting = 0;

  private constructor(
    private readonly connection: Connection,
    private readonly matchId: string,
    private version: number,
  ) {}

  static async open(
    port: number,
    dialect: DialectSpec,
    auth: object | undefined,
    matchId: string,
  ): Promise<Publisher> {
    const connection = new Connection(port, dialectFor(dialect, "match"), auth);
    await connection.ready;
    const create = { id: matchId, home: { name: "Home", score: 0 }, away: { name: "Away" } };
    const { match } = okBody<{ match: Match }>(await connection.emit("publish", create));
    return new Publisher(connection, matchId, match.version);
  }

  /** The version of the last publish sent. */
  get latest(): number {
    return this.version;
  }

  /** Publishes asked for and not answered yet. */
  get unanswered(): number {
    return this.waiting;
  }

  publish(): Published {
    const version = ++this.version;
    const update = { id: this.matchId, home: { score: ++this.score } };
    const sentAt = monotonicMs();
    this.waiting++;
    const answered = this.previous.then(() => this.connection.emit("publish", update));
    this.previous = answered.catch(() => {});
    const acked = answered
      .then((ack) => {
        const { match } = okBody<{ match: Match }>(ack);
        if (match.version !== version) {
          throw new Error(`a publish was answered with version ${match.version}, not ${version}`);
        }
      })
      .finally(() => this.waiting--);
    return { version, sentAt, acked };
  }

  close(): void {
    this.connection.close();
  }
}
