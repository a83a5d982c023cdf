import type { EventEmitter } from "node:events";
import type { Adapter } from "socket.io-adapter";
import type { Namespace } from "socket.io";
import type { MessageStore } from "../chat/message-store.js";
import type { MuteStore } from "../chat/mute-store.js";
import type { PresenceStore } from "../chat/presence-store.js";
import type { PeerNetwork } from "../peers/peers.js";
import type { MatchStore } from "../scores/match-store.js";

/** Where state lives and how instances reach each other: memory, Redis or a Redis Cluster, chosen once. */
export interface Backend {
  mode: "memory" | "redis" | "redis-cluster";
  matches: MatchStore;
  messages: MessageStore;
  mutes: MuteStore;
  presence: PresenceStore;
  /** The Socket.IO adapter factory; absent for the in-memory default and on a cluster. */
  adapter?: (nsp: Namespace) => Adapter;
  /** How items reach the other instances; absent for one instance. */
  peers?: PeerNetwork;
  /** Whether the backing service answers now. */
  ready(): boolean;
  /** `recovered`: usable again after an interruption, so anything may have been missed. */
  events?: EventEmitter<{ recovered: [] }>;
  close(): Promise<void>;
}
