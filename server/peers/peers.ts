/**
 * How the items of one event (match versions, chat messages, deletions,
 * presence counts) reach the other instances that follow their key. What
 * travels this way may be lost or arrive twice; the relays and the presence
 * tracker repair and deduplicate.
 */
export interface PeerTopic<T> {
  /** Sends a freshly stored item to the other instances that follow its key. */
  send(key: string, item: T): void;
  /** From now on, items of `key` are received. */
  follow(key: string): void;
  /** Items of `key` are no longer needed here. */
  unfollow(key: string): void;
  /** From now on, the items of every key are received (sockets that follow every match). */
  followEvery(): void;
  unfollowEvery(): void;
  onItem(listener: (item: T) => void): void;
}

/** What a peer network needs of a namespace: its name, and its inter-server events. */
export interface PeerNamespace<E extends string, T> {
  readonly name: string;
  on(event: E, listener: (item: T) => void): unknown;
  serverSideEmit(event: E, item: T): unknown;
}

export interface TopicOptions {
  /** Whether some instances may follow every key of the topic ({@link PeerTopic.followEvery}). */
  every?: boolean;
  /**
   * The hash tag of the slot that holds a key's data: its channel goes to
   * the same shard, so a shard that is down stops only its own keys. @default `{key}`
   */
  slotTag?(key: string): string;
}

/** Makes the topic of one event of a namespace. */
export interface PeerNetwork {
  topic<E extends string, T>(
    nsp: PeerNamespace<E, T>,
    event: E,
    options?: TopicOptions,
  ): PeerTopic<T>;
}
