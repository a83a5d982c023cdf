import type { Deleted, Deletion, Message } from "../../contract/index.js";
import { NamespaceRelay } from "../realtime/namespace-relay.js";
import type { ChatNamespace } from "../realtime/namespaces.js";
import type { RelayDeps } from "../scores/scores-relay.js";
import type { MessageStore } from "./message-store.js";

export type ChatRelay = NamespaceRelay<"message", Message>;

/** The relay of `/chat`: every seq of a room in order, repaired from the message store. */
export function createChatRelay(
  nsp: ChatNamespace,
  store: MessageStore,
  deps: RelayDeps,
): ChatRelay {
  return new NamespaceRelay<"message", Message>(nsp, {
    event: "message",
    mode: "contiguous",
    key: (message) => message.room,
    position: (message) => message.seq,
    storedAt: (message) => Date.parse(message.ts),
    source: {
      readAfter: async (room, after) => (await store.history(room, { since: after })).messages,
      heads: (rooms) => store.heads(rooms),
    },
    ...deps,
  });
}

export type DeletionRelay = NamespaceRelay<"deleted", Deletion>;

/**
 * The relay of `deleted`: a room's deletions are numbered like its messages,
 * so one lost with a broadcast is found and read back from the store's
 * deletion log exactly as a lost message is, by the same sweeps. Members are
 * sent `{ room, seq }` alone.
 */
export function createDeletionRelay(
  nsp: ChatNamespace,
  store: MessageStore,
  deps: RelayDeps,
): DeletionRelay {
  return new NamespaceRelay<"deleted", Deletion>(nsp, {
    event: "deleted",
    mode: "contiguous",
    key: (deletion) => deletion.room,
    position: (deletion) => deletion.position,
    storedAt: (deletion) => Date.parse(deletion.ts),
    wire: ({ room, seq }): Deleted => ({ room, seq }),
    source: {
      readAfter: (room, after) => store.deletionsAfter(room, after),
      heads: (rooms) => store.deletionHeads(rooms),
    },
    ...deps,
  });
}
