import { Chat, Connection, ScoresFeed, type ChatRoom } from "../../client/index.js";
import type { Match, Message } from "../../contract/index.js";
import { put, request } from "./http.js";
import { MatchRecorder, MessageRecorder } from "./recorder.js";
import { streamWrites, type StreamTally } from "./stream.js";
import { eventually } from "./wait.js";

export interface TrafficOptions {
  /** Where viewers and members connect (the balancer). */
  viewUrl: string;
  /** Where the feed publishes and the sender chats (an instance the test leaves alone). */
  writeUrl: string;
  viewers: number;
  members: number;
}

/** Fast reconnects: the drills measure the service, not the backoff. */
const timing = { reconnectionDelay: 200, reconnectionDelayMax: 1000 };

/**
 * Live traffic as users make it, through the bundled client library: viewers
 * following a match, members of its chat room, a feed publishing 50 updates/s
 * over HTTP and a fan sending 20 messages/s. Everything each user sees is
 * recorded, to count what was lost, repeated or out of order.
 */
export class Traffic {
  readonly id = `drill-${Date.now().toString(36)}`;
  readonly room = `match:${this.id}`;
  readonly scores: MatchRecorder[] = [];
  readonly chats: MessageRecorder[] = [];
  /** When each user's connection stopped being live, in ms since the epoch. */
  readonly drops: number[] = [];
  private readonly connections: Connection[] = [];
  private stopWriting!: () => void;
  private writing!: Promise<[StreamTally, StreamTally]>;

  private constructor(private readonly options: TrafficOptions) {}

  static async start(options: TrafficOptions): Promise<Traffic> {
    const traffic = new Traffic(options);
    try {
      await traffic.begin();
    } catch (err) {
      traffic.close();
      throw err;
    }
    return traffic;
  }

  /** Stops writing; answers the feed's and the sender's tallies. */
  async stop(): Promise<{ published: StreamTally; sent: StreamTally }> {
    this.stopWriting();
    const [published, sent] = await this.writing;
    return { published, sent };
  }

  /** The stored version and seq now, once the write instance can read them again. */
  async stored(): Promise<{ version: number; head: number }> {
    let version = 0;
    let head = 0;
    await eventually("the match and room can be read", async () => {
      const match = await request(`${this.options.writeUrl}/api/matches/${this.id}`);
      const page = await request(
        `${this.options.writeUrl}/api/rooms/${this.room}/messages?limit=1`,
      );
      if (match.status !== 200 || page.status !== 200) return false;
      version = (match.body as Match).version;
      head = (page.body.messages as Message[]).at(-1)?.seq ?? 0;
      return true;
    });
    return { version, head };
  }

  /**
   * How long after `healedAt` every user held what was stored at that moment
   * (`atHeal`): the contract's "within 5 s of Redis being reachable again".
   */
  caughtUpAfter(healedAt: number, atHeal: { version: number; head: number }): number {
    const times = [
      ...this.scores.map((r) => r.reachedAt(this.id, atHeal.version)),
      ...(atHeal.head > 0 ? this.chats.map((r) => r.reachedAt(this.room, atHeal.head)) : []),
    ];
    if (times.some((t) => t === undefined)) return Infinity;
    return Math.max(0, ...times.map((t) => t! - healedAt));
  }

  /** Waits until every user holds the final stored version and seq, and audits what they saw. */
  async converge(ms = 10_000) {
    const { version, head } = await this.stored();
    const started = Date.now();
    const done = () =>
      this.scores.every((r) => r.latest(this.id) === version) &&
      this.chats.every((r) => r.count(this.room) >= head);
    await eventually(
      `every viewer holds version ${version} and every member seq ${head}`,
      done,
      ms,
    ).catch((err: Error) => {
      const states = this.connections.map((c) => c.status.state).join(",");
      const versions = this.scores.map((r) => r.latest(this.id)).join(",");
      const counts = this.chats.map((r) => r.count(this.room)).join(",");
      throw new Error(
        `${err.message}; versions ${versions}; message counts ${counts}; states ${states}`,
      );
    });
    const chat = this.chats.map((r) => r.audit(this.room, head));
    const sum = (key: "missing" | "duplicates" | "outOfOrder") =>
      chat.reduce((n, a) => n + a[key], 0);
    return {
      version,
      head,
      convergedMs: Date.now() - started,
      scores: { outOfOrderOrRepeated: this.scores.reduce((n, r) => n + r.violations(), 0) },
      chat: {
        missing: sum("missing"),
        duplicates: sum("duplicates"),
        outOfOrder: sum("outOfOrder"),
      },
    };
  }

  close(): void {
    for (const connection of this.connections) connection.close();
  }

  private connection(url: string): Connection {
    const connection = new Connection(url, timing);
    this.connections.push(connection);
    let live = false;
    connection.onStatus(({ state }) => {
      if (live && state !== "live") this.drops.push(Date.now());
      live = state === "live";
    });
    return connection;
  }

  private async begin(): Promise<void> {
    const { viewUrl, writeUrl } = this.options;
    await put(writeUrl, this.id, { home: { name: "Home" }, away: { name: "Away" } });
    for (let i = 0; i < this.options.viewers; i++) {
      const recorder = new MatchRecorder();
      const feed = new ScoresFeed(this.connection(viewUrl));
      await feed.follow([this.id], recorder.record);
      this.scores.push(recorder);
    }
    const rooms: ChatRoom[] = [];
    for (let i = 0; i < this.options.members; i++) {
      const recorder = new MessageRecorder();
      const chat = new Chat(this.connection(viewUrl));
      rooms.push(chat.join(this.room, { onMessage: recorder.record }));
      this.chats.push(recorder);
    }
    await eventually(
      "every viewer and member is live",
      () =>
        this.connections.every((c) => c.status.state === "live") &&
        rooms.every((room) => room.highest !== undefined),
    );
    const sender = new Chat(this.connection(writeUrl)).join(this.room, { onMessage: () => {} });
    const stop = new Promise<void>((resolve) => (this.stopWriting = resolve));
    this.writing = Promise.all([
      streamWrites(
        async (i) => {
          const answer = await put(writeUrl, this.id, { home: { score: i } });
          return answer.status === 200
            ? { ok: true }
            : { ok: false, code: answer.body?.error?.code };
        },
        20,
        stop,
      ),
      streamWrites(
        async (i) => {
          await sender.send(`message ${i}`);
          return { ok: true };
        },
        50,
        stop,
      ),
    ]);
  }
}
