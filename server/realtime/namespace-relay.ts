import type { Namespace } from "socket.io";
import type { Logger } from "../logger.js";
import type { Metrics } from "../metrics.js";
import type { PeerNamespace, PeerNetwork, PeerTopic } from "../peers/peers.js";
import { Relay, type RelaySource } from "./relay.js";
import { emitToRooms } from "./room-fanout.js";
import { keyOf, roomOf } from "./rooms.js";

export interface NamespaceRelayOptions<E extends string, T> {
  /** The event name, both to sockets and between instances. */
  event: E;
  mode: "contiguous" | "latest";
  key(item: T): string;
  position(item: T): number;
  /** When the item was stored, in ms since the epoch. */
  storedAt(item: T): number;
  /** What sockets are sent of an item, when not all of it is theirs. @default the item */
  wire?(item: T): unknown;
  source: RelaySource<T>;
  /** How items reach the other instances; absent for one instance. */
  peers: PeerNetwork | undefined;
  /** On a cluster, the hash tag of the slot that holds a key's data, for its channel. */
  slotTag?(key: string): string;
  /**
   * The room of the sockets that follow every key (latest mode): each item
   * reaches them too, once to a socket also in the key's room.
   */
  everyRoom?: string;
  logger: Logger;
  metrics: Metrics;
}

/** What a relay uses of a namespace whose inter-server event `E` carries a `T`. */
export interface RelayNamespace<E extends string, T> extends PeerNamespace<E, T> {
  readonly adapter: Namespace["adapter"];
}

/**
 * A {@link Relay} wired to one namespace: it emits to the namespace's local
 * rooms, exchanges items with the instances that follow the same keys, and
 * forgets a key when its room empties.
 */
export class NamespaceRelay<E extends string, T> extends Relay<T> {
  private readonly peers: PeerTopic<T> | undefined;

  constructor(
    nsp: RelayNamespace<E, T>,
    private readonly wiring: NamespaceRelayOptions<E, T>,
  ) {
    const { event, metrics, everyRoom } = wiring;
    const namespace = nsp.name;
    const untyped = nsp as unknown as Namespace;
    const peers = wiring.peers?.topic(nsp, event, {
      every: everyRoom !== undefined,
      ...(wiring.slotTag ? { slotTag: wiring.slotTag } : {}),
    });
    super({
      ...(peers ? { interest: peers } : {}),
      mode: wiring.mode,
      position: wiring.position,
      source: wiring.source,
      logger: wiring.logger,
      onRepair: (count) => metrics.repairs.inc({ namespace }, count),
      sink: {
        emit: (key, item, except) => {
          const payload = wiring.wire ? wiring.wire(item) : item;
          const rooms = everyRoom ? [roomOf(key), everyRoom] : [roomOf(key)];
          const delivered = emitToRooms(untyped, rooms, event, payload, except);
          metrics.eventsOut.inc({ namespace, event }, delivered);
          metrics.publishToEmit.observe(
            { namespace },
            Math.max(0, Date.now() - wiring.storedAt(item)) / 1000,
          );
        },
        hasMembers: (key) => nsp.adapter.rooms.has(roomOf(key)),
        followsEvery: () => everyRoom !== undefined && nsp.adapter.rooms.has(everyRoom),
      },
    });
    nsp.adapter.on("delete-room", (room: string) => {
      if (room === everyRoom) return this.endEvery();
      const key = keyOf(room);
      if (key !== undefined) this.release(key);
    });
    this.peers = peers;
    peers?.onItem((item) => {
      metrics.fanoutReceived.inc({ namespace, event });
      this.offer(wiring.key(item), item);
    });
  }

  /** Delivers a freshly stored item here and on every other instance that follows its key. */
  broadcast(item: T): void {
    const key = this.wiring.key(item);
    this.offer(key, item);
    this.peers?.send(key, item);
  }
}
