import type { PeerNamespace, PeerNetwork, PeerTopic } from "./peers.js";

/**
 * Peers through the Socket.IO adapter of one Redis: `serverSideEmit` reaches
 * every instance, whatever it follows, so following is implicit.
 */
export const namespacePeers: PeerNetwork = {
  topic<E extends string, T>(nsp: PeerNamespace<E, T>, event: E): PeerTopic<T> {
    return {
      send: (_key, item) => nsp.serverSideEmit(event, item),
      follow: () => {},
      unfollow: () => {},
      followEvery: () => {},
      unfollowEvery: () => {},
      onItem: (listener) => nsp.on(event, listener),
    };
  },
};
