import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const ENTRY = fileURLToPath(new URL("../server/index.js", import.meta.url));

/**
 * The service as operators run it (`node dist/server/index.js`), in a child
 * process: for the local cluster, and for tests that SIGKILL, pause or
 * SIGTERM an instance.
 */
export class ServiceProcess {
  private exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    /** Every line it printed, for diagnosing a failure. */
    readonly logs: string[],
  ) {
    this.exit = new Promise((resolve) =>
      child.once("exit", (code, signal) => resolve({ code, signal })),
    );
  }

  /** Starts one instance (on a free port unless `env.PORT` says otherwise) and waits until it listens. */
  static async start(env: Record<string, string>): Promise<ServiceProcess> {
    const child = spawn(process.execPath, [ENTRY], {
      env: {
        ...process.env,
        PORT: "0",
        HOST: "127.0.0.1",
        ...env,
        // The "listening" line is how the port is learnt.
        LOG_LEVEL: "info",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const logs: string[] = [];
    const port = await new Promise<number>((resolve, reject) => {
      // A process that never listens is ended, not left behind.
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new Error(`matchday did not listen within 15 s.\n${logs.join("\n")}`));
      }, 15_000);
      let buffered = "";
      child.stdout.on("data", (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split("\n");
        buffered = lines.pop()!;
        for (const line of lines) {
          logs.push(line);
          const port = /"msg":"listening"/.test(line) ? /"port":(\d+)/.exec(line)?.[1] : undefined;
          if (port) {
            clearTimeout(timer);
            resolve(Number(port));
          }
        }
      });
      child.stderr.on("data", (chunk: Buffer) => logs.push(chunk.toString()));
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(
          new Error(`matchday exited with code ${code} before listening.\n${logs.join("\n")}`),
        );
      });
    });
    return new ServiceProcess(child, `http://127.0.0.1:${port}`, logs);
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Resolves when the process ends, with its exit code or signal. */
  exited() {
    return this.exit;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Ends the process if it still runs (SIGCONT first, in case it was paused). */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.child.kill("SIGCONT");
    this.child.kill("SIGKILL");
    await this.exit;
  }
}
