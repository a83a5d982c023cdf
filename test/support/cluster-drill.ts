import type { Match, Message } from "../../contract/index.js";
import { CLUSTER_INDEX_BUCKETS } from "../../server/backends/redis-cluster-backend.js";
import { bucketIndex, bucketTag } from "../../server/scores/redis-match-store.js";
import type { RedisCluster } from "./redis-cluster.js";
import type { RedisServer } from "./redis-server.js";
import { request } from "./http.js";
import type { ChatSocket, ScoresSocket } from "./clients.js";
import { sleep } from "./stream.js";

/** How long one write may take, retries included, before the drill gives up on the service. */
const GIVE_UP_MS = 20_000;
/** Pause between retries of a write answered `unavailable`, as a feed would back off. */
const RETRY_MS = 50;
/** Longer than the contract's 5 s answer: a timeout here is a contract breach, not a retry. */
const ACK_TIMEOUT_MS = 6000;

/** A match and a room whose keys and channels all live on one primary, so one kill hits both. */
export interface Colocated {
  id: string;
  room: string;
  /** The hash of the match's bucket (the match's state lives in it, field `id`). */
  statesKey: string;
  /** The room's seq counter. */
  seqKey: string;
  primary: RedisServer;
}

/**
 * Searches candidate names for a match whose bucket (`{m<b>}`: its state and
 * its channel) and a room (`{<room>}`: its messages and channel) hash to
 * slots of one primary. The drill checks that the match is really stored on
 * the primary it kills, so a change of layout fails it loudly.
 */
export async function colocated(
  cluster: RedisCluster,
  stem: string,
  prefix = "test:",
): Promise<Colocated> {
  const room = `${stem}-room`;
  const primary = await cluster.primaryOf(`{${room}}`);
  for (let n = 0; n < 300; n++) {
    const id = `${stem}-${n}`;
    const bucket = bucketTag(bucketIndex(id, CLUSTER_INDEX_BUCKETS));
    if ((await cluster.primaryOf(bucket)).port !== primary.port) continue;
    return {
      id,
      room,
      statesKey: `${prefix}matches:${bucket}`,
      seqKey: `${prefix}room:{${room}}:seq`,
      primary,
    };
  }
  throw new Error(`no match id ${stem}-N shares the primary of room ${room}`);
}

export interface Acked {
  /** The version (scores) or seq (chat) the ack gave. */
  position: number;
  /** The score published (scores) or the text sent (chat). */
  content: string;
  /** When the ack arrived, ms since the epoch. */
  at: number;
}

export interface WriteTally {
  ok: number;
  unavailable: number;
  /** No answer within 6 s: the contract answers every event within 5 s. */
  timeouts: number;
  conflicts: number;
  /** Found applied after an `unavailable` (a conflict, then a read showing the update). */
  appliedUnacknowledged: number;
  other: string[];
}

const newTally = (): WriteTally => ({
  ok: 0,
  unavailable: 0,
  timeouts: 0,
  conflicts: 0,
  appliedUnacknowledged: 0,
  other: [],
});

/**
 * A score feed as a real one behaves: each update sets the home score to its
 * own number and carries `expectedVersion` (the last version it knows), so a
 * retry after `unavailable` is safe; on `conflict` it reads the match to learn
 * whether its update was applied, and goes on from the stored version.
 */
export class ScoreFeed {
  readonly acks: Acked[] = [];
  /** Every state learnt from the store, acks and reads alike, in the order learnt. */
  readonly observed: Acked[] = [];
  readonly tally = newTally();
  private version = 0;

  constructor(
    private readonly socket: ScoresSocket,
    private readonly url: string,
    readonly id: string,
  ) {}

  /** Creates the match (expected version 0): home score 0 is update 0. */
  create(): Promise<void> {
    return this.write(0, { home: { name: "Home", score: 0 }, away: { name: "Away" } });
  }

  update(i: number): Promise<void> {
    return this.write(i, { home: { score: i } });
  }

  /** The latest version acknowledged so far. */
  get latestAcked(): number {
    return this.acks.at(-1)?.position ?? 0;
  }

  private async write(i: number, fields: object): Promise<void> {
    const started = Date.now();
    for (;;) {
      if (Date.now() - started > GIVE_UP_MS) {
        throw new Error(`publish ${i} not applied within ${GIVE_UP_MS} ms of retries`);
      }
      let answer;
      try {
        answer = await this.socket
          .timeout(ACK_TIMEOUT_MS)
          .emitWithAck("publish", { id: this.id, ...fields, expectedVersion: this.version });
      } catch {
        this.tally.timeouts++;
        continue;
      }
      if (answer.ok) {
        this.tally.ok++;
        this.version = answer.match.version;
        const acked = { position: answer.match.version, content: String(i), at: Date.now() };
        this.acks.push(acked);
        this.observed.push(acked);
        return;
      }
      if (answer.error.code === "unavailable") {
        this.tally.unavailable++;
        await sleep(RETRY_MS);
        continue;
      }
      if (answer.error.code !== "conflict") {
        this.tally.other.push(`publish ${i}: ${answer.error.code} ${answer.error.message}`);
        throw new Error(`publish ${i} answered ${answer.error.code}: ${answer.error.message}`);
      }
      this.tally.conflicts++;
      const current = await this.read();
      this.version = current.version;
      if (current.home.score === i) {
        this.tally.appliedUnacknowledged++;
        return;
      }
    }
  }

  /** The stored match through the HTTP API, retried while its shard is unavailable. */
  async read(): Promise<Match> {
    const started = Date.now();
    for (;;) {
      const answer = await request(`${this.url}/api/matches/${this.id}`).catch(() => undefined);
      if (answer?.status === 200) {
        const match = answer.body as Match;
        this.observed.push({
          position: match.version,
          content: String(match.home.score),
          at: Date.now(),
        });
        return match;
      }
      if (Date.now() - started > GIVE_UP_MS) {
        throw new Error(`GET /api/matches/${this.id}: ${answer?.status ?? "no answer"}`);
      }
      await sleep(RETRY_MS);
    }
  }

  /**
   * Acknowledged versions the store no longer has: an ack is lost when the
   * store was later seen at a lower version, or at the same version with
   * other content (the version was given again to another update). Every
   * rewind is seen: the next publish conflicts and the feed reads the match.
   */
  lost(): Acked[] {
    return this.acks.filter((ack) => {
      const after = this.observed.slice(this.observed.indexOf(ack) + 1);
      return after.some(
        (seen) =>
          seen.position < ack.position ||
          (seen.position === ack.position && seen.content !== ack.content),
      );
    });
  }
}

/** A chat sender that retries a send answered `unavailable` with the same nonce. */
export class ChatSender {
  readonly acks: Acked[] = [];
  readonly tally = newTally();

  constructor(
    private readonly socket: ChatSocket,
    readonly room: string,
  ) {}

  get latestAcked(): number {
    return this.acks.reduce((max, ack) => Math.max(max, ack.position), 0);
  }

  async send(i: number): Promise<void> {
    const text = `m${i}`;
    const started = Date.now();
    for (;;) {
      if (Date.now() - started > GIVE_UP_MS) {
        throw new Error(`send ${i} not acknowledged within ${GIVE_UP_MS} ms of retries`);
      }
      let answer;
      try {
        answer = await this.socket
          .timeout(ACK_TIMEOUT_MS)
          .emitWithAck("send", { room: this.room, text, nonce: `n${i}` });
      } catch {
        this.tally.timeouts++;
        continue;
      }
      if (answer.ok) {
        this.tally.ok++;
        this.acks.push({ position: answer.message.seq, content: text, at: Date.now() });
        return;
      }
      if (answer.error.code !== "unavailable") {
        this.tally.other.push(`send ${i}: ${answer.error.code} ${answer.error.message}`);
        throw new Error(`send ${i} answered ${answer.error.code}: ${answer.error.message}`);
      }
      this.tally.unavailable++;
      await sleep(RETRY_MS);
    }
  }
}

/** Every stored message of `room`, read page by page through the HTTP API. */
export async function storedMessages(url: string, room: string): Promise<Message[]> {
  const messages: Message[] = [];
  for (;;) {
    const since = messages.at(-1)?.seq ?? 0;
    const answer = await request(`${url}/api/rooms/${room}/messages?since=${since}&limit=1000`);
    if (answer.status !== 200) {
      throw new Error(`GET messages of ${room} since ${since}: ${answer.status}`);
    }
    const page = answer.body.messages as Message[];
    if (answer.body.truncated) throw new Error(`messages of ${room} truncated`);
    messages.push(...page);
    if (page.length < 1000) return messages;
  }
}

/**
 * Calls `write(1)`, `write(2)`, ... one at a time, on a schedule of one every
 * `everyMs` (a write that takes longer is made up for by the next ones, but
 * a stall of over 100 ms is not made up for: the feed goes on at its rate),
 * until `stop` resolves; resolves with the number of writes made.
 */
export async function paced(
  write: (i: number) => Promise<void>,
  everyMs: number,
  stop: Promise<unknown>,
): Promise<number> {
  let stopped = false;
  void stop.then(() => (stopped = true));
  let i = 0;
  let due = Date.now();
  while (!stopped) {
    await write(++i);
    due = Math.max(due + everyMs, Date.now() - 100);
    await sleep(Math.max(0, due - Date.now()));
  }
  return i;
}
