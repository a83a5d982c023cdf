import type { Namespace } from "socket.io";
import { Encoder, PacketType } from "socket.io-parser";
import * as ws from "ws";

/** What the fan-out reads of a WebSocket transport; Engine.IO itself writes frames this way. */
interface WebSocketTransport {
  name: string;
  writable: boolean;
  socket: { _sender: { sendFrame(frame: Buffer[]): void }; _socket: { writableLength: number } };
}

interface EngineSocket {
  readyState: string;
  writeBuffer: unknown[];
  transport: WebSocketTransport;
}

const FRAME = { fin: true, opcode: 1, mask: false, readOnly: false, rsv1: false };

/** ws's frame builder: public in ws, missing from its type declarations. */
const { Sender } = ws as unknown as {
  Sender: { frame(data: Buffer, options: typeof FRAME): Buffer[] };
};

const encoder = new Encoder();

/**
 * Emits one event to the local members of `rooms` (skipping `except`), once
 * to a socket in several of them, and answers how many got it.
 *
 * The broadcast path is where a fan-out server spends its time: Socket.IO
 * hands each member's copy through Engine.IO's packet queue (five events,
 * several arrays and callbacks per member). Here the event is encoded and
 * framed once, and written straight to every WebSocket that has nothing
 * queued, as Engine.IO's own WebSocket transport writes a pre-encoded frame.
 * A member on long polling, mid-send, or with data still buffered takes
 * Socket.IO's own path, which queues in order (and where the slow-socket
 * guard can drop superseded versions). Members of the first room pay no
 * check for the others: a socket is skipped in a later room only when an
 * earlier one holds it.
 */
export function emitToRooms(
  nsp: Namespace,
  rooms: readonly string[],
  event: string,
  item: unknown,
  except: readonly string[],
): number {
  const groups: Array<Set<string>> = [];
  for (const room of rooms) {
    const members = nsp.adapter.rooms.get(room);
    if (members) groups.push(members);
  }
  if (groups.length === 0) return 0;
  const [text] = encoder.encode({ type: PacketType.EVENT, nsp: nsp.name, data: [event, item] });
  // "4" is Engine.IO's message packet type.
  const frame = Sender.frame(Buffer.from(`4${text as string}`), FRAME);
  const queued: string[] = [];
  let delivered = 0;
  groups.forEach((members, g) => {
    for (const sid of members) {
      if (except.length > 0 && except.includes(sid)) continue;
      if (g > 0 && inAny(groups, g, sid)) continue;
      const socket = nsp.sockets.get(sid);
      if (!socket) continue;
      delivered++;
      const conn = socket.conn as unknown as EngineSocket;
      const transport = conn.transport;
      if (
        transport.name === "websocket" &&
        transport.writable &&
        conn.readyState === "open" &&
        conn.writeBuffer.length === 0 &&
        transport.socket._socket.writableLength === 0
      ) {
        transport.socket._sender.sendFrame(frame);
      } else {
        queued.push(sid);
      }
    }
  });
  if (queued.length > 0) nsp.local.to(queued).emit(event, item);
  return delivered;
}

/** Whether one of the first `count` groups holds `sid`. */
function inAny(groups: ReadonlyArray<Set<string>>, count: number, sid: string): boolean {
  for (let i = 0; i < count; i++) if (groups[i].has(sid)) return true;
  return false;
}
