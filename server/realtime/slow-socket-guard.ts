import type { Server } from "socket.io";
import type { Logger } from "../logger.js";
import type { Metrics } from "../metrics.js";
import { engineClients } from "./engine-clients.js";

/** How often queues are checked; the cap holds within this delay. */
const CHECK_EVERY_MS = 250;

/** An Engine.IO packet waiting in a socket's write buffer. */
interface QueuedPacket {
  type: string;
  data?: unknown;
}

/** The parts of an Engine.IO socket the guard reads. */
interface EngineSocket {
  id: string;
  writeBuffer: QueuedPacket[];
  transport: { name: string; socket?: { bufferedAmount?: number } };
  close(discard?: boolean): void;
}

const MATCH_PACKET = /^2\/scores,\["match",/;

/**
 * Caps the data queued for one slow socket. Past half the cap, superseded
 * score versions are dropped from its queue (it still gets the newest of
 * each match); past the cap, it is disconnected. Checked on a timer over
 * sockets with a backlog, so the broadcast path does no per-socket work.
 */
export class SlowSocketGuard {
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly io: Server,
    private readonly capBytes: number,
    private readonly metrics: Metrics,
    private readonly logger: Logger,
  ) {
    this.timer = setInterval(() => this.check(), CHECK_EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  check(): void {
    const clients = engineClients<EngineSocket>(this.io);
    // for...in: no array of every connection four times a second.
    for (const id in clients) {
      const conn = clients[id];
      if (conn.writeBuffer.length === 0) continue;
      let queued = queuedBytes(conn);
      if (queued <= this.capBytes / 2) continue;
      const dropped = dropSuperseded(conn.writeBuffer);
      if (dropped > 0) {
        this.metrics.supersededDropped.inc(dropped);
        queued = queuedBytes(conn);
      }
      if (queued > this.capBytes) {
        this.logger.warn({ sid: conn.id, queued }, "disconnecting a socket too slow to keep up");
        this.metrics.slowDisconnects.inc();
        // Discarding the queue: a plain close() waits for it to drain, which
        // is exactly what a slow socket does not do.
        conn.close(true);
      }
    }
  }
}

function queuedBytes(conn: EngineSocket): number {
  let bytes = conn.transport.socket?.bufferedAmount ?? 0;
  for (const packet of conn.writeBuffer) {
    if (typeof packet.data === "string") bytes += packet.data.length;
    else if (packet.data instanceof Buffer) bytes += packet.data.length;
  }
  return bytes;
}

/** Removes every queued `match` event that a later queued one for the same match supersedes. */
function dropSuperseded(queue: QueuedPacket[]): number {
  const seen = new Set<string>();
  let dropped = 0;
  for (let i = queue.length - 1; i >= 0; i--) {
    const data = queue[i].data;
    if (typeof data !== "string" || !MATCH_PACKET.test(data)) continue;
    const id = matchIdOf(data);
    if (id === undefined) continue;
    if (seen.has(id)) {
      queue.splice(i, 1);
      dropped++;
    } else {
      seen.add(id);
    }
  }
  return dropped;
}

function matchIdOf(packet: string): string | undefined {
  try {
    const [, match] = JSON.parse(packet.slice(packet.indexOf(",") + 1)) as [
      string,
      { id?: unknown },
    ];
    return typeof match?.id === "string" ? match.id : undefined;
  } catch {
    return undefined;
  }
}
