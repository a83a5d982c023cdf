import type { ConnectionStatus } from "../connection-state.js";

const TRANSPORT_LABELS = { websocket: "WebSocket", polling: "long polling" } as const;

/** An honest one-liner about the connection: "Live updates · WebSocket", "Reconnecting…", ... */
export function statusText({ state, transport, error, retrying }: ConnectionStatus): string {
  switch (state) {
    case "live":
      return transport ? `Live updates · ${TRANSPORT_LABELS[transport]}` : "Live updates";
    case "connecting":
      return "Connecting…";
    case "reconnecting":
      return "Reconnecting…";
    case "offline":
      return retrying ? "Offline · retrying" : `Offline${error ? ` · ${error.message}` : ""}`;
  }
}
