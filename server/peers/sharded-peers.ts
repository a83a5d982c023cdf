import { randomBytes } from "node:crypto";
import calculateSlot from "cluster-key-slot";
import { hashTag } from "../redis/hash-tag.js";
import type { ShardedPubSub } from "../redis/cluster-connection.js";
import type { PeerNamespace, PeerNetwork, PeerTopic, TopicOptions } from "./peers.js";

/**
 * Channels that carry every key of a topic, for instances whose sockets
 * follow every match: spread over several slots, so no one shard carries
 * all of them.
 */
const EVERY_CHANNELS = 16;

/**
 * Peers over Redis Cluster sharded pub/sub: one channel per key, in the
 * key's own slot, which an instance subscribes only while it follows the key.
 * An instance thus receives the traffic of the matches and rooms its own
 * clients follow, not all of it; a publish costs its shard alone.
 */
export function shardedPeers(pubSub: ShardedPubSub, prefix: string): PeerNetwork {
  // An instance subscribed to a key hears its own publishes to it too; they
  // carry its id, so they are dropped here rather than by the relay.
  const origin = `${randomBytes(6).toString("base64url")}|`;
  return {
    topic<E extends string, T>(
      nsp: PeerNamespace<E, T>,
      event: E,
      { every = false, slotTag = hashTag }: TopicOptions = {},
    ): PeerTopic<T> {
      const base = `${prefix}${nsp.name}:${event}:`;
      const channelOf = (key: string) => `${base}${slotTag(key)}:${key}`;
      const everyChannel = (n: number) => `${base}every:${hashTag(String(n))}`;
      const everyOf = (key: string) => everyChannel(calculateSlot(key) % EVERY_CHANNELS);
      const listeners: Array<(item: T) => void> = [];
      const receive = (message: string) => {
        if (message.startsWith(origin)) return;
        const item = JSON.parse(message.slice(message.indexOf("|") + 1)) as T;
        for (const listener of listeners) listener(item);
      };
      let following = false;
      return {
        send(key, item) {
          const message = origin + JSON.stringify(item);
          pubSub.publish(channelOf(key), message);
          if (every) pubSub.publish(everyOf(key), message);
        },
        follow: (key) => pubSub.subscribe(channelOf(key), receive),
        unfollow: (key) => pubSub.unsubscribe(channelOf(key)),
        followEvery() {
          if (following) return;
          following = true;
          for (let n = 0; n < EVERY_CHANNELS; n++) pubSub.subscribe(everyChannel(n), receive);
        },
        unfollowEvery() {
          if (!following) return;
          following = false;
          for (let n = 0; n < EVERY_CHANNELS; n++) pubSub.unsubscribe(everyChannel(n));
        },
        onItem: (listener) => void listeners.push(listener),
      };
    },
  };
}
