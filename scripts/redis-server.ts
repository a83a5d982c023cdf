import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "redis";
import { freePort } from "./free-port.js";

export interface RedisServerOptions {
  /**
   * Run as production would (append-only file, fsync on every write), for
   * tests that kill Redis and expect data to survive. Otherwise nothing is
   * kept on disk.
   */
  persistent?: boolean;
  /** Extra `redis-server` arguments. */
  args?: string[];
}

const BINARY = "redis-server";
const HOST = "127.0.0.1";

/**
 * A `redis-server` of our own on a free port (tests, benchmarks, the local
 * cluster); never the machine's shared one.
 */
export class RedisServer {
  private process: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly options: RedisServerOptions,
  ) {}

  static async start(options: RedisServerOptions = {}): Promise<RedisServer> {
    if (spawnSync(BINARY, ["--version"]).error) {
      throw new Error(`${BINARY} is not installed: install it with "apt-get install redis-server"`);
    }
    const server = new RedisServer(
      await freePort(),
      mkdtempSync(join(tmpdir(), "matchday-redis-")),
      options,
    );
    try {
      await server.launch();
    } catch (err) {
      // Neither a process that never became ready nor its directory outlive the failure.
      await server.stop();
      throw err;
    }
    return server;
  }

  get url(): string {
    return `redis://${this.address}`;
  }

  /** `host:port`, as `redis-cli` and CLUSTER NODES write it. */
  get address(): string {
    return `${HOST}:${this.port}`;
  }

  /** Whether its process runs (paused counts as running); false once killed or stopped. */
  get alive(): boolean {
    const child = this.process;
    return !!child && child.exitCode === null && child.signalCode === null;
  }

  /** A plain client for commands of the caller's own (CLIENT KILL, FLUSHALL, ...). */
  async client() {
    const client = createClient({ url: this.url });
    client.on("error", () => {});
    await client.connect();
    return client;
  }

  /** SIGKILL: no shutdown, no save; whatever the append-only file holds survives. */
  async kill(): Promise<void> {
    const child = this.process;
    if (!child || !this.alive) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  }

  /** Starts again on the same port and data directory. */
  async restart(): Promise<void> {
    await this.kill();
    await this.launch();
  }

  pause(): void {
    this.process?.kill("SIGSTOP");
  }

  resume(): void {
    this.process?.kill("SIGCONT");
  }

  async stop(): Promise<void> {
    this.resume();
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async launch(): Promise<void> {
    const persistence = this.options.persistent
      ? ["--appendonly", "yes", "--appendfsync", "always"]
      : ["--appendonly", "no"];
    const child = spawn(
      BINARY,
      [
        "--port",
        String(this.port),
        "--bind",
        HOST,
        "--save",
        "",
        "--dir",
        this.dir,
        ...persistence,
        ...(this.options.args ?? []),
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    this.process = child;
    let output = "";
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`redis-server did not start on ${this.port}:\n${output}`)),
        10_000,
      );
      child.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes("Ready to accept connections")) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with ${code}:\n${output}`));
      });
    });
    child.stdout.resume();
    child.stderr.resume();
  }
}
