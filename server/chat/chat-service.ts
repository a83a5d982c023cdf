import type { Limits, Message, RoomName, UserId } from "../../contract/index.js";
import { storage } from "../deadline.js";
import { AppError } from "../../contract/app-error.js";
import type { ChatRelay, DeletionRelay } from "./chat-relay.js";
import type { AppendInput, HistoryPage, HistoryQuery, MessageStore } from "./message-store.js";
import type { MuteStore } from "./mute-store.js";

const MINUTE_MS = 60_000;

/** The chat operations, shared by the `/chat` namespace and the HTTP API. */
export class ChatService {
  constructor(
    private readonly store: MessageStore,
    private readonly relay: ChatRelay,
    private readonly deletions: DeletionRelay,
    private readonly mutes: MuteStore,
    private readonly limits: Limits,
  ) {}

  /**
   * Stores the message, then delivers it everywhere. As with scores, the
   * delivery follows the write even when the sender already timed out.
   */
  async send(input: AppendInput): Promise<Message> {
    const until = await storage(this.mutes.mutedUntil(input.user.id, input.room), "send");
    if (until !== undefined) {
      throw new AppError("forbidden", `you are muted until ${new Date(until).toISOString()}`);
    }
    const { chatMessagesPerSecond: perSecond, chatMessageBurst: burst } = this.limits;
    const stored = this.store.append(input, { perSecond, burst }).then((result) => {
      if (result.kind === "created") this.relay.broadcast(result.message);
      return result;
    });
    const result = await storage(stored, "send");
    if (result.kind === "rate_limited") {
      throw new AppError("rate_limited", `at most ${perSecond} messages per second; slow down`);
    }
    return result.message;
  }

  history(room: RoomName, query: HistoryQuery): Promise<HistoryPage> {
    return storage(this.store.history(room, query), "reading history");
  }

  /**
   * Turns the message into a tombstone, then tells every member on every
   * instance; like a send, the delivery follows the write even after a timeout.
   */
  async delete(room: RoomName, seq: number): Promise<void> {
    const stored = this.store.delete(room, seq).then((result) => {
      if (result.kind === "deleted") this.deletions.broadcast(result.deletion);
      return result;
    });
    const result = await storage(stored, "delete");
    if (result.kind === "not_found") {
      throw new AppError("not_found", `${room} has no message ${seq}, or no longer keeps it`);
    }
  }

  /** Answers the mute's end, ISO 8601. */
  async mute(userId: UserId, minutes: number, room?: RoomName): Promise<string> {
    const until = await storage(this.mutes.mute(userId, room, minutes * MINUTE_MS), "mute");
    return new Date(until).toISOString();
  }

  unmute(userId: UserId, room?: RoomName): Promise<void> {
    return storage(this.mutes.unmute(userId, room), "unmute");
  }
}
