import type { Logger } from "../logger.js";

/** Where a relay reads what it may have missed. */
export interface RelaySource<T> {
  /**
   * Items with a position greater than `after`, ascending: every retained one
   * for a contiguous stream, the current state alone for a latest-wins one.
   */
  readAfter(key: string, after: number): Promise<T[]>;
  /**
   * The stored head position of each key (0 when it has none). A key whose
   * storage does not answer is left out: the next sweep tries it again.
   */
  heads(keys: string[]): Promise<Map<string, number>>;
  /**
   * Latest mode, for sockets that follow every key: the keys changed after
   * `cursor` (a place in storage's order of changes), and the cursor past them.
   */
  changedAfter?(cursor: number): Promise<{ keys: string[]; cursor: number }>;
}

/** How a relay hands items to this instance's sockets. */
export interface RelaySink<T> {
  /** Emit to the local members of `key`'s room, skipping the `except` socket ids. */
  emit(key: string, item: T, except: readonly string[]): void;
  /** Whether any local socket is a member of `key`'s room. */
  hasMembers(key: string): boolean;
  /** Whether any local socket follows every key; `emit` then reaches it for every key. */
  followsEvery?(): boolean;
}

/** Tells the way items come from other instances which keys this one needs. */
export interface RelayInterest {
  follow(key: string): void;
  unfollow(key: string): void;
  followEvery(): void;
  unfollowEvery(): void;
}

export interface RelayOptions<T> {
  /** `contiguous`: every position is delivered, in order (chat). `latest`: only newer states (scores). */
  mode: "contiguous" | "latest";
  position(item: T): number;
  source: RelaySource<T>;
  sink: RelaySink<T>;
  interest?: RelayInterest;
  logger: Logger;
  onRepair(count: number): void;
}

/** Items a contiguous track keeps after delivery (at least). */
const RECENT_KEPT = 64;

interface Track<T> {
  /** Highest position emitted to the room. */
  delivered: number;
  /** The relay's delivery count at its latest emit (0: none yet). */
  deliveredAt: number;
  latest: T | undefined;
  /** Contiguous mode: items that arrived ahead of a gap, held until it is filled. */
  pending: Map<number, T>;
  /** Contiguous mode: the newest delivered items, for joiners whose history read raced them. */
  recent: T[];
  /** Sockets that joined with history up to a position not yet delivered to the room. */
  ahead: Map<string, number>;
  waiters: Set<Waiter<T>>;
  repairing: boolean;
  /** Another repair was asked for while one was reading. */
  repairAgain: boolean;
}

interface Waiter<T> {
  after: number;
  resolve(item: T | undefined): void;
}

/**
 * Delivers one namespace's stream of numbered items (match versions, room
 * seqs) to this instance's sockets, whatever the path they came by: the local
 * publisher, another instance through the Redis adapter, or a repair read
 * from storage.
 *
 * The Redis adapter is at-most-once: a broadcast can be lost (Redis restart,
 * dropped subscriber connection) or arrive late, twice, or out of order. The
 * relay turns that into the contract's guarantees with per-key state kept once
 * per room, not per socket: it drops what the room already has, holds later
 * items while it reads a gap from storage, and {@link sweep} compares the
 * stored heads with what it delivered to catch losses that no later item
 * reveals.
 */
export class Relay<T> {
  private readonly tracks = new Map<string, Track<T>>();
  /** Emits so far, to order them: see {@link deliveredSince}. */
  private deliveries = 0;
  /** While local sockets follow every key: sweeps read the keys changed after this cursor. */
  private everyCursor: number | undefined;

  constructor(private readonly options: RelayOptions<T>) {}

  /** The keys this instance follows, because of member sockets or waiters. */
  keys(): string[] {
    return [...this.tracks.keys()];
  }

  /** The newest item emitted for `key` (latest mode). */
  latest(key: string): T | undefined {
    return this.tracks.get(key)?.latest;
  }

  delivered(key: string): number {
    return this.tracks.get(key)?.delivered ?? 0;
  }

  /**
   * Starts following `key` from the stored `head`, right before the first
   * local socket joins or waits. A later call with a newer head brings the
   * room up to it first.
   */
  follow(key: string, head: number, latest?: T): void {
    this.options.interest?.follow(key);
    if (!this.tracks.has(key)) {
      // Sockets that follow every key were sent nothing of a key not tracked:
      // it starts from nothing, so that they get the state too.
      const every = this.followsEvery();
      this.track(key, every ? 0 : head, every ? undefined : latest);
      if (!every) return;
    }
    if (latest !== undefined) this.offer(key, latest);
    else if (head > this.delivered(key)) void this.repair(key);
  }

  private track(key: string, delivered: number, latest?: T): Track<T> {
    const track: Track<T> = {
      delivered,
      deliveredAt: 0,
      latest,
      pending: new Map(),
      recent: [],
      ahead: new Map(),
      waiters: new Set(),
      repairing: false,
      repairAgain: false,
    };
    this.tracks.set(key, track);
    return track;
  }

  /** Whether local sockets follow every key, so that every key is tracked. */
  followsEvery(): boolean {
    return this.options.sink.followsEvery?.() ?? false;
  }

  /**
   * Right before a local socket starts following every key, with a state read
   * at storage's `cursor`: if it is the first, sweeps look for keys changed
   * after that cursor from now on.
   */
  startEvery(cursor: number): void {
    this.options.interest?.followEvery();
    if (!this.followsEvery() || this.everyCursor === undefined) this.everyCursor = cursor;
  }

  /** Once no local socket follows every key: forgets the keys nobody else follows. */
  endEvery(): void {
    this.options.interest?.unfollowEvery();
    this.everyCursor = undefined;
    for (const key of this.keys()) this.release(key);
  }

  /** A mark to pass to {@link deliveredSince} and {@link deliveredAfter} later. */
  deliveryMark(): number {
    return this.deliveries;
  }

  /** Whether `key` was emitted after `mark`. */
  deliveredAfter(key: string, mark: number): boolean {
    return (this.tracks.get(key)?.deliveredAt ?? 0) > mark;
  }

  /** The keys emitted after `mark`, the latest emitted first. */
  deliveredSince(mark: number): string[] {
    return [...this.tracks]
      .filter(([, track]) => track.deliveredAt > mark)
      .sort(([, a], [, b]) => b.deliveredAt - a.deliveredAt)
      .map(([key]) => key);
  }

  /**
   * Contiguous mode, right before `socketId` joins the room with history up
   * to `head`: answers what the room received after `head` meanwhile (which
   * the joiner must get with its history), and makes sure it is not sent
   * positions up to `head` again while the room catches up to them.
   * @throws when more arrived meanwhile than the relay keeps
   */
  admit(key: string, socketId: string, head: number): T[] {
    const track = this.tracks.get(key);
    if (!track) return [];
    if (head > track.delivered) {
      track.ahead.set(socketId, head);
      return [];
    }
    const missed = track.recent.filter((item) => this.options.position(item) > head);
    if (missed.length !== track.delivered - head) throw new Error("room moved on during join");
    return missed;
  }

  /** An item from any path; emitted at most once, in order. */
  offer(key: string, item: T): void {
    const track = this.tracks.get(key) ?? (this.followsEvery() ? this.track(key, 0) : undefined);
    if (track && this.accept(key, track, item)) void this.repair(key);
  }

  /** Takes one item; true when it revealed a gap that storage must fill. */
  private accept(key: string, track: Track<T>, item: T): boolean {
    const position = this.options.position(item);
    if (position <= track.delivered) return false;
    if (this.options.mode === "latest") {
      this.deliver(key, track, item, position);
      return false;
    }
    track.pending.set(position, item);
    this.drain(key, track);
    return track.pending.size > 0;
  }

  /** Stops following `key` once no local socket is a member and nobody waits. */
  release(key: string): void {
    const track = this.tracks.get(key);
    if (
      track &&
      track.waiters.size === 0 &&
      !this.options.sink.hasMembers(key) &&
      !this.followsEvery()
    ) {
      this.tracks.delete(key);
      this.options.interest?.unfollow(key);
    }
  }

  /**
   * Latest mode: resolves with the first item past `after`, or `undefined`
   * after `ms` or when `signal` aborts. The caller has followed `key` already.
   */
  wait(key: string, after: number, ms: number, signal?: AbortSignal): Promise<T | undefined> {
    const track = this.tracks.get(key);
    if (!track) return Promise.resolve(undefined);
    if (track.latest !== undefined && track.delivered > after) {
      this.release(key);
      return Promise.resolve(track.latest);
    }
    return new Promise((resolve) => {
      const waiter: Waiter<T> = {
        after,
        resolve: (item) => {
          clearTimeout(timer);
          signal?.removeEventListener("abort", abort);
          track.waiters.delete(waiter);
          this.release(key);
          resolve(item);
        },
      };
      const abort = () => waiter.resolve(undefined);
      const timer = setTimeout(abort, ms);
      signal?.addEventListener("abort", abort, { once: true });
      track.waiters.add(waiter);
    });
  }

  /** Answers every waiter at once with `undefined` (shutdown). */
  cancelWaiters(): void {
    for (const track of this.tracks.values()) {
      for (const waiter of [...track.waiters]) waiter.resolve(undefined);
    }
  }

  /**
   * Compares the stored heads of every followed key with what was delivered
   * and reads what is missing. Safe to call at any time; a failed read is
   * retried by the next sweep.
   */
  async sweep(): Promise<void> {
    // A shard that does not answer fails the discovery, not the repair of
    // keys on the shards that do.
    const discovery = await this.discover().then(
      () => undefined,
      (err: unknown) => err,
    );
    const keys = this.keys();
    if (keys.length > 0) {
      const heads = await this.options.source.heads(keys);
      await Promise.all(
        keys
          .filter((key) => (heads.get(key) ?? 0) > this.delivered(key))
          .map((key) => this.repair(key)),
      );
    }
    if (discovery !== undefined) throw discovery;
  }

  /**
   * While local sockets follow every key: starts tracking the keys storage
   * changed after the cursor, which a lost broadcast may have kept from
   * this instance (a new key, most often); the sweep then reads them.
   */
  private async discover(): Promise<void> {
    const cursor = this.everyCursor;
    const { source } = this.options;
    if (cursor === undefined || !source.changedAfter) return;
    const changed = await source.changedAfter(cursor);
    if (this.everyCursor === undefined || !this.followsEvery()) return;
    for (const key of changed.keys) if (!this.tracks.has(key)) this.track(key, 0);
    this.everyCursor = Math.max(this.everyCursor, changed.cursor);
  }

  private async repair(key: string): Promise<void> {
    const track = this.tracks.get(key);
    if (!track) return;
    if (track.repairing) {
      track.repairAgain = true;
      return;
    }
    track.repairing = true;
    try {
      do {
        track.repairAgain = false;
        const items = await this.options.source.readAfter(key, track.delivered);
        if (this.tracks.get(key) !== track) return;
        const before = track.delivered;
        this.skipUnretained(key, track, items);
        for (const item of items) this.accept(key, track, item);
        if (track.delivered > before) this.options.onRepair(track.delivered - before);
      } while (track.repairAgain);
    } catch (err) {
      this.options.logger.warn({ err, key }, "repair read failed; the next sweep retries");
    } finally {
      track.repairing = false;
    }
  }

  /**
   * Contiguous mode: a read that starts past the next position means storage
   * no longer retains the positions in between; waiting for them would stall
   * the room forever, so delivery resumes at the oldest retained one.
   */
  private skipUnretained(key: string, track: Track<T>, items: T[]): void {
    if (this.options.mode !== "contiguous" || items.length === 0) return;
    const first = this.options.position(items[0]);
    if (first <= track.delivered + 1) return;
    this.options.logger.warn(
      { key, from: track.delivered + 1, to: first - 1 },
      "positions no longer retained; skipping them",
    );
    track.delivered = first - 1;
    for (const position of track.pending.keys()) {
      if (position <= track.delivered) track.pending.delete(position);
    }
  }

  private drain(key: string, track: Track<T>): void {
    for (;;) {
      const position = track.delivered + 1;
      const item = track.pending.get(position);
      if (item === undefined) return;
      track.pending.delete(position);
      this.deliver(key, track, item, position);
    }
  }

  private deliver(key: string, track: Track<T>, item: T, position: number): void {
    track.delivered = position;
    track.deliveredAt = ++this.deliveries;
    track.latest = item;
    if (this.options.mode === "contiguous") {
      track.recent.push(item);
      if (track.recent.length > RECENT_KEPT * 2) track.recent.splice(0, RECENT_KEPT);
    }
    const except: string[] = [];
    if (track.ahead.size > 0) {
      for (const [socketId, head] of track.ahead) {
        if (head >= position) except.push(socketId);
        if (head <= position) track.ahead.delete(socketId);
      }
    }
    this.options.sink.emit(key, item, except);
    for (const waiter of [...track.waiters]) {
      if (position > waiter.after) waiter.resolve(item);
    }
  }
}
