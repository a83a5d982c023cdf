import type { Match, Message } from "../../contract/index.js";

/**
 * What one socket received of each match, in arrival order (events and
 * subscribe acks alike), checked against the contract's ordering guarantee.
 */
export class MatchRecorder {
  readonly versions = new Map<string, number[]>();
  private readonly arrivals = new Map<string, number[]>();

  record = (...matches: Match[]): void => {
    const now = Date.now();
    for (const match of matches) {
      const list = this.versions.get(match.id) ?? [];
      list.push(match.version);
      this.versions.set(match.id, list);
      this.arrivals.set(match.id, [...(this.arrivals.get(match.id) ?? []), now]);
    }
  };

  latest(id: string): number {
    return this.versions.get(id)?.at(-1) ?? 0;
  }

  /** When this socket first held `version` or a newer one, in ms since the epoch. */
  reachedAt(id: string, version: number): number | undefined {
    const index = this.versions.get(id)?.findIndex((v) => v >= version) ?? -1;
    return index < 0 ? undefined : this.arrivals.get(id)![index];
  }

  /** Versions received again or after a newer one. */
  violations(): number {
    let count = 0;
    for (const list of this.versions.values()) {
      list.forEach((version, i) => i > 0 && version <= list[i - 1] && count++);
    }
    return count;
  }
}

/** What one member socket received of each room, checked for holes, repeats and order. */
export class MessageRecorder {
  readonly seqs = new Map<string, number[]>();
  private readonly arrivals = new Map<string, number[]>();

  record = (...messages: Message[]): void => {
    const now = Date.now();
    for (const message of messages) {
      const list = this.seqs.get(message.room) ?? [];
      list.push(message.seq);
      this.seqs.set(message.room, list);
      this.arrivals.set(message.room, [...(this.arrivals.get(message.room) ?? []), now]);
    }
  };

  /** When this socket first held `seq`, in ms since the epoch. */
  reachedAt(room: string, seq: number): number | undefined {
    const index = this.seqs.get(room)?.indexOf(seq) ?? -1;
    return index < 0 ? undefined : this.arrivals.get(room)![index];
  }

  count(room: string): number {
    return this.seqs.get(room)?.length ?? 0;
  }

  /** Counts against the expected 1..n. */
  audit(room: string, n: number) {
    const list = this.seqs.get(room) ?? [];
    const seen = new Set(list);
    let outOfOrder = 0;
    list.forEach((seq, i) => i > 0 && seq <= list[i - 1] && outOfOrder++);
    let missing = 0;
    for (let seq = 1; seq <= n; seq++) if (!seen.has(seq)) missing++;
    return { received: list.length, missing, duplicates: list.length - seen.size, outOfOrder };
  }
}
