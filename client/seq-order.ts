import type { Message } from "../contract/index.js";

/**
 * Hands a room's messages on exactly once and in `seq` order, whatever
 * order, repeats and sockets they arrive from: a message ahead of a gap
 * waits until the gap is filled.
 */
export class SeqOrder {
  /** The next `seq` to hand on; undefined until the first join says where the room starts. */
  private next: number | undefined;
  private readonly waiting = new Map<number, Message>();

  constructor(private readonly deliver: (message: Message) => void) {}

  /** The highest `seq` handed on, if the start is known (0: none yet). */
  get highest(): number | undefined {
    return this.next === undefined ? undefined : this.next - 1;
  }

  /** Hands on from `seq` (never backwards): the first join, or a gap no longer retained. */
  startAt(seq: number): void {
    if (this.next === undefined || seq > this.next) this.next = seq;
    for (const key of this.waiting.keys()) if (key < seq) this.waiting.delete(key);
    this.drain();
  }

  push(message: Message): void {
    if (this.next !== undefined && message.seq < this.next) return;
    this.waiting.set(message.seq, message);
    this.drain();
  }

  private drain(): void {
    if (this.next === undefined) return;
    for (
      let message = this.waiting.get(this.next);
      message;
      message = this.waiting.get(this.next)
    ) {
      this.waiting.delete(this.next);
      this.next++;
      this.deliver(message);
    }
  }
}
