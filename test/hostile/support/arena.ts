import { expect } from "chai";
import type { Match, Message } from "../../../contract/index.js";
import {
  call,
  chatter,
  publisher,
  viewer,
  type ChatSocket,
  type ScoresSocket,
} from "../../support/clients.js";
import { Instance, type InstanceOptions } from "../../support/instances.js";
import { MatchRecorder, MessageRecorder } from "../../support/recorder.js";
import { eventually } from "../../support/wait.js";
import { RawPolling } from "./raw-polling.js";
import { RawSocket, type OpenOptions } from "./raw-socket.js";

/** The match and room the bystanders follow. */
const MATCH = "arena-match";
const ROOM = "arena-room";

/** Every own property of `Object.prototype`, to notice pollution of any name. */
function prototypeState(): Array<[string, unknown]> {
  const descriptors = Object.getOwnPropertyDescriptors(Object.prototype);
  return Object.entries(descriptors).map(([key, d]) => [key, d.value ?? d.get]);
}

/**
 * A service under attack, watched by bystanders: a subscriber following a
 * match that is published to, and a member of a chat room. `survives(attack)`
 * runs one hostile case, then checks that the process still serves, that the
 * bystanders stayed connected and received every version and message in
 * order, that a fresh client is served, and that nothing was added to
 * `Object.prototype`.
 */
export class Arena {
  private readonly prototypeBefore = prototypeState();
  private readonly crashes: Error[] = [];
  private readonly onCrash = (err: Error) => this.crashes.push(err);
  private readonly attackers = new Set<{ close(): unknown }>();
  private readonly scores = new MatchRecorder();
  private readonly chat = new MessageRecorder();
  private bystanderDisconnects = 0;

  private constructor(
    readonly instance: Instance,
    private readonly publisher: ScoresSocket,
    private readonly subscriber: ScoresSocket,
    private readonly member: ChatSocket,
  ) {
    process.on("uncaughtExceptionMonitor", this.onCrash);
    subscriber.on("match", this.scores.record);
    member.on("message", this.chat.record);
    for (const socket of [publisher, subscriber, member]) {
      socket.on("disconnect", () => this.bystanderDisconnects++);
    }
  }

  static async start(options: InstanceOptions = {}): Promise<Arena> {
    const instance = await Instance.start(options);
    const [pub, sub, member] = await Promise.all([
      publisher(instance.url),
      viewer(instance.url),
      chatter(instance.url),
    ]);
    const arena = new Arena(instance, pub, sub, member);
    arena.scores.record(...(await call(sub, "subscribe", { ids: [MATCH] })).matches);
    expect((await call(member, "join", { room: ROOM })).ok).to.equal(true);
    await arena.publish();
    return arena;
  }

  get url(): string {
    return this.instance.url;
  }

  /** Closes `attacker` after the case. */
  track<T extends { close(): unknown }>(attacker: T): T {
    this.attackers.add(attacker);
    return attacker;
  }

  /** A raw WebSocket session, closed after the case. */
  async raw(options?: OpenOptions): Promise<RawSocket> {
    return this.track(await RawSocket.open(this.url, options));
  }

  /**
   * A raw WebSocket session connected to `nsp` (with `auth`; a string is sent
   * verbatim), closed after the case; fails unless the server accepts it.
   */
  async connected(nsp = "/scores", auth?: object | string): Promise<RawSocket> {
    const raw = await this.raw();
    expect(await raw.connect(nsp, auth)).to.match(new RegExp(`^40${nsp},\\{"sid":`));
    return raw;
  }

  /** A raw polling session, closed after the case. */
  async polling(): Promise<RawPolling> {
    const session = await RawPolling.open(this.url);
    this.track({ close: () => session.post("1").catch(() => undefined) });
    return session;
  }

  /** Publishes the next version of the bystanders' match; resolves with its version. */
  async publish(): Promise<number> {
    const minute = (this.scores.latest(MATCH) % 200) + 1;
    const answer = await call(this.publisher, "publish", {
      id: MATCH,
      home: { name: "Home" },
      away: { name: "Away" },
      minute,
    });
    expect(answer.ok, JSON.stringify(answer)).to.equal(true);
    return (answer.match as Match).version;
  }

  /** Runs one hostile case, then checks that nobody else noticed. */
  async survives(attack: (arena: this) => Promise<void>): Promise<void> {
    try {
      await attack(this);
    } finally {
      await Promise.all([...this.attackers].map((a) => a.close()));
      this.attackers.clear();
    }
    await this.verify();
  }

  /** Everything a hostile client must not be able to change. */
  async verify(): Promise<void> {
    expect(this.crashes, "uncaught exceptions").to.deep.equal([]);
    expect(prototypeState(), "Object.prototype").to.deep.equal(this.prototypeBefore);
    expect(({} as { polluted?: unknown }).polluted).to.equal(undefined);
    expect((await fetch(`${this.url}/healthz`)).status, "/healthz").to.equal(200);
    expect(this.bystanderDisconnects, "bystander disconnects").to.equal(0);

    const version = await this.publish();
    await eventually("the bystander receives the new version", () => {
      return this.scores.latest(MATCH) >= version;
    });
    const every = Array.from({ length: version }, (_, i) => i + 1);
    expect(this.scores.versions.get(MATCH), "versions the bystander received").to.deep.equal(every);

    const [fresh, freshChatter] = await Promise.all([viewer(this.url), chatter(this.url)]);
    try {
      const snapshot = await call(fresh, "subscribe", { ids: [MATCH] });
      expect(snapshot.matches.map((m: Match) => m.version)).to.deep.equal([version]);
      expect((await call(freshChatter, "join", { room: ROOM })).ok).to.equal(true);
      const sent = await call(freshChatter, "send", { room: ROOM, text: "still here" });
      expect(sent.ok, JSON.stringify(sent)).to.equal(true);
      const { seq } = sent.message as Message;
      await eventually("the bystander member receives the message", () => {
        return this.chat.count(ROOM) >= seq;
      });
      expect(this.chat.audit(ROOM, seq)).to.deep.equal({
        received: seq,
        missing: 0,
        duplicates: 0,
        outOfOrder: 0,
      });
    } finally {
      fresh.disconnect();
      freshChatter.disconnect();
    }
  }

  async close(): Promise<void> {
    process.off("uncaughtExceptionMonitor", this.onCrash);
    for (const socket of [this.publisher, this.subscriber, this.member]) socket.disconnect();
    await this.instance.close();
  }
}

/** One arena for a suite: started before its tests, closed after them. */
export function useArena(options: InstanceOptions = {}): () => Arena {
  let arena: Arena | undefined;
  before(async () => {
    arena = await Arena.start(options);
  });
  after(async () => {
    await arena?.close();
  });
  return () => arena!;
}
