import type { Namespace } from "socket.io";
import type { Limits, Message, RoomName } from "../../contract/index.js";
import { storage } from "../deadline.js";
import { AppError } from "../errors.js";
import type { Logger } from "../logger.js";
import type { Metrics } from "../metrics.js";
import { NamespaceRelay } from "../realtime/namespace-relay.js";
import type { AppendInput, HistoryPage, HistoryQuery, MessageStore } from "./message-store.js";

export interface ChatDeps {
  clustered: boolean;
  limits: Limits;
  logger: Logger;
  metrics: Metrics;
}

/** The chat operations, shared by the `/chat` namespace and the HTTP API. */
export class ChatService {
  readonly relay: NamespaceRelay<Message>;

  constructor(
    nsp: Namespace,
    private readonly store: MessageStore,
    private readonly deps: ChatDeps,
  ) {
    this.relay = new NamespaceRelay<Message>(nsp, {
      event: "message",
      mode: "contiguous",
      key: (message) => message.room,
      position: (message) => message.seq,
      storedAt: (message) => Date.parse(message.ts),
      source: {
        readAfter: async (room, after) => (await store.history(room, { since: after })).messages,
        heads: (rooms) => store.heads(rooms),
      },
      clustered: deps.clustered,
      logger: deps.logger,
      metrics: deps.metrics,
    });
  }

  /**
   * Stores the message, then delivers it everywhere. As with scores, the
   * delivery follows the write even when the sender already timed out.
   */
  async send(input: AppendInput): Promise<Message> {
    const { chatMessagesPerSecond: perSecond, chatMessageBurst: burst } = this.deps.limits;
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
}
