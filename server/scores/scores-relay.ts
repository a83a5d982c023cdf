import type { Match } from "../../contract/index.js";
import type { Logger } from "../logger.js";
import type { PeerNetwork } from "../peers/peers.js";
import type { Metrics } from "../metrics.js";
import { NamespaceRelay } from "../realtime/namespace-relay.js";
import type { ScoresNamespace } from "../realtime/namespaces.js";
import type { MatchStore } from "./match-store.js";

export type ScoresRelay = NamespaceRelay<"match", Match>;

/**
 * The adapter room of the sockets that follow every match (`subscribe_all`).
 * Not a keyed room, so it counts toward no socket's limit; no socket id and
 * no keyed room can be named "*".
 */
export const EVERY_MATCH_ROOM = "*";

export interface RelayDeps {
  peers: PeerNetwork | undefined;
  logger: Logger;
  metrics: Metrics;
}

/** The relay of `/scores`: latest-wins per match, repaired from the match store. */
export function createScoresRelay(
  nsp: ScoresNamespace,
  store: MatchStore,
  deps: RelayDeps,
): ScoresRelay {
  const slotTag = store.slotTag?.bind(store);
  return new NamespaceRelay<"match", Match>(nsp, {
    event: "match",
    mode: "latest",
    key: (match) => match.id,
    position: (match) => match.version,
    storedAt: (match) => Date.parse(match.updatedAt),
    source: {
      readAfter: async (id, after) => {
        const match = await store.get(id);
        return match && match.version > after ? [match] : [];
      },
      heads: (ids) => store.versions(ids),
      changedAfter: async (rank) => {
        const changed = await store.changedAfter(rank);
        return { keys: changed.map((c) => c.id), cursor: changed.at(-1)?.rank ?? rank };
      },
    },
    everyRoom: EVERY_MATCH_ROOM,
    ...(slotTag ? { slotTag } : {}),
    ...deps,
  });
}
