import { spawn, type ChildProcess } from "node:child_process";
import { EventEmitter } from "node:events";
import { fileURLToPath } from "node:url";
import { waitFor } from "../../support/wait.js";

const ENTRY = fileURLToPath(new URL("../../../cli/index.js", import.meta.url));

/** Where the sample timeline is, from dist/test/cli/support. */
export const SAMPLE_TIMELINE = fileURLToPath(
  new URL("../../../../cli/samples/north-london-derby.jsonl", import.meta.url),
);

export interface Exit {
  code: number | null;
  stdout: string[];
  stderr: string[];
}

const running = new Set<CliProcess>();

/**
 * `node dist/cli/index.js ...args` as a child process, as a user or a
 * script runs it: stdin a pipe, stdout and stderr read line by line.
 */
export class CliProcess {
  readonly stdout: string[] = [];
  readonly stderr: string[] = [];
  private readonly lines = new EventEmitter();
  private readonly exit: Promise<Exit>;

  private constructor(private readonly child: ChildProcess) {
    this.collect(child.stdout!, this.stdout, "stdout");
    this.collect(child.stderr!, this.stderr, "stderr");
    this.exit = new Promise((resolve) =>
      // "close": the streams are read to the end by then.
      child.once("close", (code) => {
        running.delete(this);
        resolve({ code, stdout: this.stdout, stderr: this.stderr });
      }),
    );
  }

  /** Starts the command line; `MATCHDAY_*` come from `env` alone, never from the test's shell. */
  static start(args: string[], env: Record<string, string> = {}): CliProcess {
    const inherited = Object.entries(process.env).filter(([name]) => !name.startsWith("MATCHDAY_"));
    const child = spawn(process.execPath, [ENTRY, ...args], {
      env: { ...Object.fromEntries(inherited), ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    const cli = new CliProcess(child);
    running.add(cli);
    return cli;
  }

  /** Runs a command to its end, with `input` (if any) as all of stdin. */
  static async run(args: string[], env?: Record<string, string>, input = ""): Promise<Exit> {
    const cli = CliProcess.start(args, env);
    cli.child.stdin!.end(input);
    return cli.exited();
  }

  /** stdout's JSON records (with `--json`). */
  get records(): any[] {
    return this.stdout.map((line) => JSON.parse(line));
  }

  /** Resolves with the first stdout line (so far or to come) that `accept` takes. */
  async line(accept: (line: string) => boolean, ms = 10_000): Promise<string> {
    const seen = this.stdout.find(accept);
    if (seen !== undefined) return seen;
    return waitFor<string>(this.lines, "stdout", ms, accept).catch((err: Error) => {
      throw new Error(
        `${err.message}; stdout:\n${this.stdout.join("\n")}\nstderr:\n${this.stderr.join("\n")}`,
      );
    });
  }

  /** Resolves with the first JSON record on stdout that `accept` takes. */
  async record(accept: (record: any) => boolean, ms?: number): Promise<any> {
    return JSON.parse(await this.line((line) => accept(JSON.parse(line)), ms));
  }

  write(text: string): void {
    this.child.stdin!.write(text);
  }

  /** Closes stdin: EOF. */
  end(): void {
    this.child.stdin!.end();
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  exited(): Promise<Exit> {
    return this.exit;
  }

  /** Kills every command line still running (after a failed test). */
  static async killAll(): Promise<void> {
    await Promise.all(
      [...running].map((cli) => {
        cli.child.kill("SIGKILL");
        return cli.exit;
      }),
    );
  }

  private collect(stream: NodeJS.ReadableStream, into: string[], event: string): void {
    let buffered = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split("\n");
      buffered = lines.pop()!;
      for (const line of lines) {
        into.push(line);
        this.lines.emit(event, line);
      }
    });
  }
}
