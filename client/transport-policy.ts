import type { Manager, ManagerOptions } from "socket.io-client";

export type TransportName = "websocket" | "polling";

const WEBSOCKET_FIRST: TransportName[] = ["websocket", "polling"];
const POLLING_FIRST: TransportName[] = ["polling", "websocket"];

/**
 * WebSocket first, long polling when WebSocket is blocked, WebSocket again
 * as soon as it works. What engine.io-client 6.6 does by itself, and what
 * this adds:
 *
 * - With `tryAllTransports`, a WebSocket that errors while opening falls
 *   back to polling at once, within the same attempt. But engine.io-client
 *   then drops "websocket" from that session's list, so the session never
 *   probes for an upgrade.
 * - A WebSocket that hangs (a proxy that swallows the upgrade) never errors;
 *   the attempt only ends with the manager's `timeout`, and the next attempt
 *   would hang on WebSocket again.
 *
 * So after a session fell back to polling, or an attempt failed altogether,
 * the next sessions start with polling, which engine.io-client upgrades to
 * WebSocket when its probe succeeds; once a session is on WebSocket, the
 * next ones start with WebSocket again. The manager reads `opts.transports`
 * anew for every engine it opens.
 */
export const INITIAL_TRANSPORTS: Partial<ManagerOptions> = {
  transports: WEBSOCKET_FIRST,
  tryAllTransports: true,
};

/** Keeps `manager` (made with `INITIAL_TRANSPORTS`) on the policy above; reports each transport. */
export function applyTransportPolicy(
  manager: Manager,
  onTransport: (name: TransportName) => void,
): void {
  const settle = (name: string) => {
    const transport: TransportName = name === "websocket" ? "websocket" : "polling";
    manager.opts.transports = transport === "websocket" ? WEBSOCKET_FIRST : POLLING_FIRST;
    onTransport(transport);
  };
  manager.on("open", () => {
    const engine = manager.engine;
    settle(engine.transport.name);
    engine.on("upgrade", (transport) => settle(transport.name));
  });
  manager.on("error", () => {
    manager.opts.transports = POLLING_FIRST;
  });
}
