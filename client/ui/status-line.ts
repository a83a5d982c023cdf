import type { Connection } from "../connection.js";
import { statusText } from "./status-text.js";

/** Keeps `element` saying how the page's connection is doing. */
export function showStatus(connection: Connection, element: HTMLElement): void {
  connection.onStatus((status) => {
    element.dataset.state = status.state;
    element.dataset.transport = status.transport ?? "";
    element.textContent = statusText(status);
  });
}
