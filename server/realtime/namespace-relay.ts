import type { Namespace } from "socket.io";
import type { Logger } from "../logger.js";
import type { Metrics } from "../metrics.js";
import { Relay, type RelaySource } from "./relay.js";
import { emitToRoom } from "./room-fanout.js";
import { keyOf, roomOf } from "./rooms.js";

export interface NamespaceRelayOptions<T> {
  /** The event name, both to sockets and between instances. */
  event: string;
  mode: "contiguous" | "latest";
  key(item: T): string;
  position(item: T): number;
  /** When the item was stored, in ms since the epoch. */
  storedAt(item: T): number;
  source: RelaySource<T>;
  /** Whether other instances share the namespace through the Redis adapter. */
  clustered: boolean;
  logger: Logger;
  metrics: Metrics;
}

/**
 * A {@link Relay} wired to one namespace: it emits to the namespace's local
 * rooms, receives other instances' items through the adapter's
 * `serverSideEmit`, and forgets a key when its room empties.
 */
export class NamespaceRelay<T> {
  readonly relay: Relay<T>;

  constructor(
    private readonly nsp: Namespace,
    private readonly options: NamespaceRelayOptions<T>,
  ) {
    const { event, metrics } = options;
    const namespace = nsp.name;
    this.relay = new Relay<T>({
      mode: options.mode,
      position: options.position,
      source: options.source,
      logger: options.logger,
      onRepair: (count) => metrics.repairs.inc({ namespace }, count),
      sink: {
        emit: (key, item, except) => {
          const delivered = emitToRoom(nsp, roomOf(key), event, item, except);
          metrics.eventsOut.inc({ namespace, event }, delivered);
          metrics.publishToEmit.observe(
            { namespace },
            Math.max(0, Date.now() - options.storedAt(item)) / 1000,
          );
        },
        hasMembers: (key) => nsp.adapter.rooms.has(roomOf(key)),
      },
    });
    nsp.adapter.on("delete-room", (room: string) => {
      const key = keyOf(room);
      if (key !== undefined) this.relay.release(key);
    });
    nsp.on(event, (item: T) => this.relay.offer(options.key(item), item));
  }

  /** Delivers a freshly stored item here and on every other instance. */
  broadcast(item: T): void {
    this.relay.offer(this.options.key(item), item);
    if (this.options.clustered) this.nsp.serverSideEmit(this.options.event, item);
  }
}
