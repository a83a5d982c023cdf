import { clearScreenDown, cursorTo, moveCursor } from "node:readline";
import { stripVTControlCharacters } from "node:util";

/**
 * The last lines of a terminal, redrawn in place (a table, a progress bar),
 * with lines logged above them that stay.
 */
export class LiveRegion {
  private lines: string[] = [];
  private drawn = 0;

  constructor(private readonly stream: NodeJS.WriteStream) {
    stream.on("resize", () => this.redraw());
  }

  draw(lines: string[]): void {
    this.lines = lines;
    this.redraw();
  }

  /** Prints `text` above the region, where it stays. */
  log(text: string): void {
    this.erase();
    this.stream.write(`${text}\n`);
    this.drawn = 0;
    this.redraw();
  }

  private redraw(): void {
    this.erase();
    // A line wider than the terminal would wrap, and the next redraw would
    // move up too few lines: cut it (colours go with it, the text stays).
    const width = this.stream.columns || 80;
    for (const line of this.lines) {
      const plain = stripVTControlCharacters(line);
      this.stream.write(
        `${[...plain].length < width ? line : [...plain].slice(0, width - 1).join("")}\n`,
      );
    }
    this.drawn = this.lines.length;
  }

  private erase(): void {
    if (this.drawn === 0) return;
    moveCursor(this.stream, 0, -this.drawn);
    cursorTo(this.stream, 0);
    clearScreenDown(this.stream);
  }
}
