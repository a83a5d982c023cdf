import type { Server } from "socket.io";

/**
 * Every Engine.IO connection of the server by id, including those that joined
 * no namespace yet. Engine.IO keeps this map public in JavaScript but
 * protected in its types; nothing else lists all connections.
 */
export function engineClients<T>(io: Server): Record<string, T> {
  return (io.engine as unknown as { clients: Record<string, T> }).clients;
}
