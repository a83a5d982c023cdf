import type { MatchdayError } from "../../client/index.js";
import type { Match } from "../../contract/index.js";
import type { StatusPlacement } from "../output/connection-status.js";
import { LiveRegion } from "../output/live-region.js";
import { matchLine } from "../output/match-text.js";
import type { Output } from "../output/output.js";
import type { Step } from "./timeline.js";

const BAR_WIDTH = 30;

/**
 * How far a replay has come: a record per step in JSON; on a terminal, a
 * line per step above a progress bar and the connection's status line;
 * otherwise a line per step.
 */
export class FeedView {
  private readonly region: LiveRegion | undefined;
  private done = 0;
  private statusLine = "";

  constructor(
    private readonly output: Output,
    private readonly total: number,
  ) {
    if (output.terminal) this.region = new LiveRegion(output.stdout);
  }

  /** Where the connection's status goes. */
  get status(): StatusPlacement {
    if (!this.region) return {};
    return {
      draw: (line) => {
        this.statusLine = line;
        this.redraw();
      },
    };
  }

  step(step: Step, match: Match): void {
    this.done++;
    if (this.output.json) {
      const { total, done } = this;
      return this.output.record("progress", {
        step: done,
        total,
        at: step.at,
        note: step.note,
        match,
      });
    }
    const counter = this.output.paint(
      "dim",
      `[${String(this.done).padStart(String(this.total).length)}/${this.total}]`,
    );
    const note = step.note ? `  ${step.note}` : "";
    this.line(`${counter} ${matchLine(this.output, match)}${note}`);
    this.redraw();
  }

  retry(failure: MatchdayError): void {
    if (this.output.json) {
      const { code, message } = failure;
      return this.output.record("retry", { step: this.done + 1, code, message });
    }
    const why = `${failure.code}: ${failure.message}`;
    this.line(this.output.paint("dim", `· step ${this.done + 1} again (${why})`));
  }

  finish(ms: number): void {
    const seconds = Math.round(ms / 100) / 10;
    if (this.output.json) return this.output.record("done", { steps: this.done, seconds });
    // The connection closes next: its status line would go stale on the screen.
    this.statusLine = "";
    this.redraw();
    this.line(`done: ${this.done} updates in ${seconds} s`);
  }

  private line(text: string): void {
    if (this.region) this.region.log(text);
    else this.output.print(text);
  }

  private redraw(): void {
    const filled = Math.round((this.done / this.total) * BAR_WIDTH);
    const bar = "█".repeat(filled) + this.output.paint("dim", "░".repeat(BAR_WIDTH - filled));
    const percent = Math.floor((this.done / this.total) * 100);
    const progress = `${bar} ${this.done}/${this.total}  ${percent}%`;
    this.region?.draw(this.statusLine ? [progress, this.statusLine] : [progress]);
  }
}
