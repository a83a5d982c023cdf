import { styleText } from "node:util";
import type { Failure } from "../failure.js";

export type Style = Parameters<typeof styleText>[0];

/** Colours only on a terminal that has them; `hasColors` honours NO_COLOR and TERM=dumb. */
const colorful = (stream: NodeJS.WriteStream) => stream.isTTY === true && stream.hasColors();

/**
 * Where a command's results go: one JSON object per line for scripts
 * (`--json`), or text for people, redrawn in place on a terminal.
 */
export class Output {
  /** Human output on a terminal: live views redraw in place. */
  readonly terminal: boolean;
  private readonly colors: boolean;

  constructor(
    readonly json: boolean,
    readonly stdout: NodeJS.WriteStream = process.stdout,
    private readonly stderr: NodeJS.WriteStream = process.stderr,
  ) {
    this.terminal = !json && stdout.isTTY === true;
    this.colors = !json && colorful(stdout);
  }

  paint(style: Style, text: string): string {
    return this.colors ? styleText(style, text, { validateStream: false }) : text;
  }

  /** One JSON line on stdout: `{ "type": type, ...fields }`. */
  record(type: string, fields: object): void {
    this.stdout.write(`${JSON.stringify({ type, ...fields })}\n`);
  }

  /** One line of text on stdout. */
  print(text: string): void {
    this.stdout.write(`${text}\n`);
  }

  /** The one line on stderr that says why a command failed (or a line of it was refused). */
  fail({ exitCode, code, message }: Failure): void {
    if (this.json) {
      this.stderr.write(`${JSON.stringify({ type: "error", code, message, exitCode })}\n`);
      return;
    }
    const line = `matchday: ${code}: ${message}`;
    this.stderr.write(
      `${colorful(this.stderr) ? styleText("red", line, { validateStream: false }) : line}\n`,
    );
  }
}
