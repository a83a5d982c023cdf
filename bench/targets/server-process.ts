import type { ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { freePort } from "../../scripts/free-port.js";
import type { Measured } from "../support/cpu-meter.js";
import { spawnPinnedNode } from "../support/pinned-node.js";
import { rssBytes } from "../support/proc-stats.js";

const GC_PRELOAD = new URL("../support/gc-on-signal.js", import.meta.url).href;
const STARTUP_TIMEOUT_MS = 20_000;
/** pino's numeric levels: 40 is warn. */
const WARN_LEVEL = 40;

export interface ServerProcessOptions {
  /** A name for reports, e.g. "matchday A". */
  name: string;
  /** The script to run, relative to this file's compiled location. */
  script: URL;
  core: number;
  env?: NodeJS.ProcessEnv;
  /** Extra node flags (e.g. --cpu-prof). */
  nodeFlags?: string[];
}

/**
 * One server under test in its own process, pinned to a core, on a free
 * port of 127.0.0.1. It logs JSON lines on stdout; the runner waits for
 * `listening`, keeps every warning and error for the report, and can ask for
 * a full GC (see gc-on-signal) before reading RSS.
 */
export class ServerProcess {
  /** Warn and error log lines, as the server wrote them. */
  readonly warnings: string[] = [];
  private readonly lines = new Set<(line: Record<string, unknown>) => void>();
  private readonly exited: Promise<void>;

  private constructor(
    readonly name: string,
    readonly port: number,
    readonly core: number,
    private readonly child: ChildProcess,
  ) {
    this.exited = new Promise((resolve) => child.once("exit", () => resolve()));
    createInterface({ input: child.stdout! }).on("line", (text) => {
      let line: Record<string, unknown>;
      try {
        line = JSON.parse(text) as Record<string, unknown>;
      } catch {
        line = { level: WARN_LEVEL, msg: text };
      }
      if (typeof line.level === "number" && line.level >= WARN_LEVEL) this.warnings.push(text);
      for (const listener of this.lines) listener(line);
    });
    createInterface({ input: child.stderr! }).on("line", (text) => this.warnings.push(text));
  }

  static async start(options: ServerProcessOptions): Promise<ServerProcess> {
    const port = await freePort();
    const child = spawnPinnedNode({
      core: options.core,
      args: [
        "--expose-gc",
        "--import",
        GC_PRELOAD,
        ...(options.nodeFlags ?? []),
        fileURLToPath(options.script),
      ],
      env: { ...options.env, PORT: String(port), HOST: "127.0.0.1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const server = new ServerProcess(options.name, port, options.core, child);
    await server.nextLine((line) => line.msg === "listening", STARTUP_TIMEOUT_MS, "listening");
    return server;
  }

  get pid(): number {
    return this.child.pid!;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  measured(): Measured {
    return { name: this.name, pid: this.pid, core: this.core, server: true };
  }

  /** RSS right after a full garbage collection. */
  async settledRss(): Promise<number> {
    const done = this.nextLine((line) => line.msg === "bench gc done", 10_000, "a GC");
    this.child.kill("SIGUSR2");
    await done;
    return rssBytes(this.pid);
  }

  /** SIGKILL: the instance dies as a crashed machine would. */
  async kill(): Promise<void> {
    if (!this.running) return;
    this.child.kill("SIGKILL");
    await this.exited;
  }

  /** SIGINT, so the process exits by itself (writing its CPU profile); SIGKILL after `ms`. */
  async interrupt(ms: number): Promise<void> {
    if (!this.running) return;
    this.child.kill("SIGINT");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), ms);
    await this.exited;
    clearTimeout(timer);
  }

  private nextLine(
    matches: (line: Record<string, unknown>) => boolean,
    timeoutMs: number,
    what: string,
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = (err?: Error) => {
        clearTimeout(timer);
        this.lines.delete(listener);
        this.child.off("exit", exit);
        if (err) reject(err);
        else resolve();
      };
      const listener = (line: Record<string, unknown>) => {
        if (matches(line)) done();
      };
      const exit = (code: number | null) =>
        done(
          new Error(`${this.name} exited (${code}) before ${what}:\n${this.warnings.join("\n")}`),
        );
      const timer = setTimeout(
        () => done(new Error(`${this.name}: no ${what} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.lines.add(listener);
      this.child.once("exit", exit);
    });
  }
}
