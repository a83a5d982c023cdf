import { MemoryMessageStore } from "../chat/memory-message-store.js";
import { MemoryMuteStore } from "../chat/memory-mute-store.js";
import { MemoryPresenceStore } from "../chat/memory-presence-store.js";
import { MemoryMatchStore } from "../scores/memory-match-store.js";
import type { Backend } from "./backend.js";

/** One instance, state in memory: the default. */
export function createMemoryBackend(): Backend {
  return {
    mode: "memory",
    matches: new MemoryMatchStore(),
    messages: new MemoryMessageStore(),
    mutes: new MemoryMuteStore(),
    presence: new MemoryPresenceStore(),
    ready: () => true,
    close: async () => {},
  };
}
