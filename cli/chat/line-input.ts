import { createInterface, clearLine, cursorTo, moveCursor, type Interface } from "node:readline";
import type { Output } from "../output/output.js";

const PROMPT = "> ";

/**
 * The lines of stdin: typed at a prompt on a terminal, where whatever is
 * printed meanwhile goes above the line being typed, or read from a pipe.
 * `onEnd` follows the last line: EOF (Ctrl-D), or Ctrl-C at the prompt.
 */
export class LineInput {
  private readonly lines: Interface;
  private readonly prompting: boolean;

  constructor(
    private readonly output: Output,
    onLine: (text: string) => void,
    onEnd: () => void,
  ) {
    this.prompting = output.terminal && process.stdin.isTTY === true;
    this.lines = this.prompting
      ? createInterface({ input: process.stdin, output: output.stdout, prompt: PROMPT })
      : createInterface({ input: process.stdin, terminal: false });
    this.lines.on("line", (text) => {
      // The typed line goes; it comes back as a message once the server has it.
      if (this.prompting) this.erase(-1);
      onLine(text);
      if (this.prompting) this.lines.prompt();
    });
    this.lines.on("close", () => {
      // The prompt goes with the input, so the shell's comes back on a clean line.
      if (this.prompting) this.erase(0);
      onEnd();
    });
    this.lines.on("SIGINT", () => this.lines.close());
    if (this.prompting) this.lines.prompt();
  }

  print(text: string): void {
    if (!this.prompting) return this.output.print(text);
    this.erase(0);
    this.output.print(text);
    this.lines.prompt(true);
  }

  close(): void {
    this.lines.close();
  }

  private erase(lines: number): void {
    moveCursor(this.output.stdout, 0, lines);
    cursorTo(this.output.stdout, 0);
    clearLine(this.output.stdout, 0);
  }
}
