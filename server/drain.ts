import type { Server } from "socket.io";
import { engineClients } from "./realtime/engine-clients.js";

/** Batches a drain is split into, at most, so reconnects spread without a stampede. */
const MAX_BATCHES = 50;

interface EngineSocket {
  close(): void;
}

/**
 * Closes every client's transport, in batches spread evenly over `windowMs`.
 * Closing the transport (not `socket.disconnect()`) makes socket.io-client
 * reconnect by itself, to another instance behind the balancer.
 */
export async function closeClientsGradually(io: Server, windowMs: number): Promise<number> {
  const clients = Object.values(engineClients<EngineSocket>(io));
  if (clients.length === 0) return 0;
  const batches = Math.max(1, Math.min(MAX_BATCHES, clients.length, Math.floor(windowMs / 20)));
  const size = Math.ceil(clients.length / batches);
  const pause = batches > 1 ? windowMs / (batches - 1) : 0;
  for (let i = 0; i < clients.length; i += size) {
    if (i > 0) await new Promise((resolve) => setTimeout(resolve, pause));
    for (const client of clients.slice(i, i + size)) client.close();
  }
  return clients.length;
}
