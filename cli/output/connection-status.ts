import type { Connection, ConnectionStatus } from "../../client/index.js";
import { statusText } from "../../client/ui/status-text.js";
import type { Output } from "./output.js";

const SPINNER = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
/** How often the spinner turns while people wait. */
const SPIN_MS = 100;

/** "● Live updates · WebSocket", or while waiting "⠹ Reconnecting… 4 s". */
function statusLine(output: Output, status: ConnectionStatus, waitingSince = Date.now()): string {
  if (status.state === "live") return output.paint("green", `● ${statusText(status)}`);
  const now = Date.now();
  const frame = SPINNER[Math.floor(now / SPIN_MS) % SPINNER.length];
  const seconds = Math.floor((now - waitingSince) / 1000);
  return output.paint("yellow", `${frame} ${statusText(status)} ${seconds} s`);
}

export interface StatusPlacement {
  /** Places the status line of a live view (a terminal), redrawn as it changes and while waiting. */
  draw?: (line: string) => void;
  /** Prints a line per change, when there is no live view. @default output.print */
  print?: (line: string) => void;
}

/**
 * Shows how `connection` is doing: in JSON, a `status` record on each new
 * state or transport; with `draw`, a status line that turns while people
 * wait; otherwise a line of text per change. Returns the stop.
 */
export function reportStatus(
  connection: Connection,
  output: Output,
  { draw, print = (line) => output.print(line) }: StatusPlacement = {},
): () => void {
  let shown = "";
  /** When the connection stopped being live; undefined while it is. */
  let waitingSince: number | undefined = Date.now();
  let spinner: NodeJS.Timeout | undefined;
  const stopSpinning = () => {
    clearInterval(spinner);
    spinner = undefined;
  };
  const unsubscribe = connection.onStatus((status) => {
    const text = statusText(status);
    if (text === shown) return;
    shown = text;
    if (status.state !== "live") waitingSince ??= Date.now();
    else {
      waitingSince = undefined;
      stopSpinning();
    }
    if (output.json) {
      const { state, transport, retrying, error } = status;
      // Whether it retries is news only once offline: live or on the way there, it always does.
      return output.record("status", {
        state,
        transport: transport ?? null,
        ...(state === "offline" ? { retrying } : {}),
        ...(error ? { error: error.message } : {}),
      });
    }
    if (!draw) return print(output.paint("dim", `· ${text}`));
    draw(statusLine(output, status, waitingSince));
    if (status.state !== "live" && !spinner) {
      spinner = setInterval(
        () => draw(statusLine(output, connection.status, waitingSince)),
        SPIN_MS,
      );
      // Never what keeps the process alive.
      spinner.unref();
    }
  });
  return () => {
    stopSpinning();
    unsubscribe();
  };
}
