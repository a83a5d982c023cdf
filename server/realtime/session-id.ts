import type { Server } from "socket.io";

/**
 * Makes every Engine.IO session id `io` issues start with `<instanceId>.`,
 * so a load balancer can send each request of a session (polling requests
 * and the WebSocket upgrade alike carry `sid`) to the instance that owns it
 * without a cookie, which an embedded widget's browser may never send.
 */
export function prefixSessionIds(io: Server, instanceId: string): void {
  const engine = io.engine;
  const random = engine.generateId.bind(engine);
  engine.generateId = async (req) => `${instanceId}.${await random(req)}`;
}

/** The instance a session id names; undefined for an id without a prefix. */
export function instanceOfSession(sid: string): string | undefined {
  const dot = sid.indexOf(".");
  return dot > 0 ? sid.slice(0, dot) : undefined;
}
