import type { Server } from "socket.io";

/**
 * Every Engine.IO connection of the server, including those that joined no
 * namespace yet. Engine.IO keeps this map public in JavaScript but protected
 * in its types; nothing else lists all connections.
 */
export function engineClients<T>(io: Server): T[] {
  return Object.values((io.engine as unknown as { clients: Record<string, T> }).clients);
}
