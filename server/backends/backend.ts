import type { EventEmitter } from "node:events";
import type { Adapter } from "socket.io-adapter";
import type { Namespace } from "socket.io";
import type { MessageStore } from "../chat/message-store.js";
import type { MuteStore } from "../chat/mute-store.js";
import type { PresenceStore } from "../chat/presence-store.js";
import type { MatchStore } from "../scores/match-store.js";

/** Where state lives and how instances reach each other: memory or Redis, chosen once. */
export interface Backend {
  mode: "memory" | "redis";
  matches: MatchStore;
  messages: MessageStore;
  mutes: MuteStore;
  presence: PresenceStore;
  /** The Socket.IO adapter factory; absent for the in-memory default. */
  adapter?: (nsp: Namespace) => Adapter;
  /** Whether the backing service answers now. */
  ready(): boolean;
  /** `recovered`: usable again after an interruption, so anything may have been missed. */
  events?: EventEmitter<{ recovered: [] }>;
  close(): Promise<void>;
}
