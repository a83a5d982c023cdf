import { TEXT_MAX, type Message, type RoomName } from "../contract/index.js";
import { backoffDelay, sleep } from "./backoff.js";
import type { ChatSocket } from "./connection.js";
import { MatchdayError, isRetryable } from "./matchday-error.js";
import { randomId } from "./random-id.js";
import { request } from "./request.js";
import { SeqOrder } from "./seq-order.js";
import { retryWithinSession } from "./session-retry.js";

/**
 * How long `send` keeps retrying one message. Far inside the server's nonce
 * window (10 minutes), so a retry is always recognised as the same message.
 */
export const SEND_RETRY_WINDOW_MS = 30_000;

export interface RoomHandlers {
  /**
   * Every message of the room once, in `seq` order, across reconnects; one
   * a moderator removed comes as its tombstone (`deleted: true`, `text: ""`).
   */
  onMessage(message: Message): void;
  /** A message already handed to `onMessage` became a tombstone: take it out of view. */
  onDeleted?(seq: number): void;
  /** Member sockets across all instances, on join and on every change. */
  onPresence?(online: number): void;
  /**
   * After each join (the first, and after every reconnection), once its
   * history has gone to `onMessage`. A `presence` event may come before it.
   */
  onJoin?(): void;
  /** Messages since the last one held are no longer retained: the room goes on after a hole. */
  onTruncated?(): void;
  /** Joining failed for a reason retrying cannot fix (e.g. too many rooms). */
  onError?(error: MatchdayError): void;
}

interface Waiter {
  wake(): void;
  fail(error: MatchdayError): void;
}

/** One joined room; made by `Chat.join`. */
export class ChatRoom {
  private readonly order: SeqOrder;
  /** The session (socket id) in which the server has this socket in the room. */
  private joinedIn: string | undefined;
  private readonly waiters = new Set<Waiter>();
  /** Deletions of seqs not handed over yet: a message repaired late may still carry its text. */
  private readonly deletedAhead = new Set<number>();
  private left = false;

  /** @internal */
  constructor(
    private readonly socket: ChatSocket,
    readonly name: RoomName,
    private readonly handlers: RoomHandlers,
    private readonly onLeave: () => void,
  ) {
    this.order = new SeqOrder((message) => {
      if (this.left) return;
      if (!this.deletedAhead.delete(message.seq)) return handlers.onMessage(message);
      handlers.onMessage({ ...message, text: "", deleted: true });
    });
  }

  /** The highest `seq` handed to `onMessage` (0: none yet); undefined before the first join. */
  get highest(): number | undefined {
    return this.order.highest;
  }

  /**
   * Posts `text` (1..2000 characters after trimming). Retries a failure
   * that may be temporary (no answer, `unavailable`, disconnected) with the
   * same nonce, so the message is posted at most once; rejects with the
   * `MatchdayError` otherwise, `rate_limited` included.
   */
  async send(text: string): Promise<Message> {
    const trimmed = text.trim();
    const length = [...trimmed].length;
    if (length < 1 || length > TEXT_MAX) {
      throw new MatchdayError("bad_request", `a message has 1..${TEXT_MAX} characters`);
    }
    const nonce = randomId();
    const deadline = Date.now() + SEND_RETRY_WINDOW_MS;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.joined(deadline - Date.now());
        const { message } = await request(this.socket, "send", {
          room: this.name,
          text: trimmed,
          nonce,
        });
        this.order.push(message);
        return message;
      } catch (err) {
        const delay = backoffDelay(attempt);
        if (!isRetryable(err) || Date.now() + delay >= deadline) throw err;
        await sleep(delay);
      }
    }
  }

  /** Leaves the room; no handler is called afterwards. */
  async leave(): Promise<void> {
    if (this.left) return;
    this.left = true;
    this.onLeave();
    for (const waiter of this.waiters) waiter.fail(this.leftError());
    if (this.isJoined()) await request(this.socket, "leave", { room: this.name });
  }

  /** @internal A room message from the socket. */
  receive(message: Message): void {
    this.order.push(message);
  }

  /** @internal A deletion from the socket. */
  deleted(seq: number): void {
    if (this.left) return;
    const highest = this.order.highest;
    if (highest === undefined || seq > highest) this.deletedAhead.add(seq);
    else this.handlers.onDeleted?.(seq);
  }

  /** @internal A presence change from the socket. */
  presence(online: number): void {
    this.handlers.onPresence?.(online);
  }

  /** @internal Joins in the current session, with `since` = the highest `seq` held. */
  rejoin(): void {
    retryWithinSession(this.socket, () => this.join()).catch((err: MatchdayError) =>
      this.handlers.onError?.(err),
    );
  }

  private async join(): Promise<void> {
    const since = this.order.highest;
    const session = this.socket.id;
    const result = await request(
      this.socket,
      "join",
      since === undefined ? { room: this.name } : { room: this.name, since },
    );
    if (this.left) return;
    if (result.truncated) this.handlers.onTruncated?.();
    // Without `since`, history is the room's tail; an empty one means an empty room.
    if (since === undefined || result.truncated) this.order.startAt(result.history[0]?.seq ?? 1);
    for (const message of result.history) this.order.push(message);
    this.handlers.onPresence?.(result.online);
    this.joinedIn = session;
    this.handlers.onJoin?.();
    for (const waiter of this.waiters) waiter.wake();
  }

  private isJoined(): boolean {
    return this.socket.connected && this.joinedIn === this.socket.id;
  }

  private leftError(): MatchdayError {
    return new MatchdayError("forbidden", `left ${this.name}`);
  }

  /** Resolves once the room is joined in the current session, or rejects after `ms`. */
  private joined(ms: number): Promise<void> {
    if (this.left) return Promise.reject(this.leftError());
    if (this.isJoined()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
      };
      const waiter: Waiter = {
        wake: () => (done(), resolve()),
        fail: (error) => (done(), reject(error)),
      };
      const timer = setTimeout(
        () => waiter.fail(new MatchdayError("unavailable", `could not join ${this.name} in time`)),
        Math.max(0, ms),
      );
      this.waiters.add(waiter);
    });
  }
}
