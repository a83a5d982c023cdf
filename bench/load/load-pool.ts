import type { ChildProcess } from "node:child_process";
import { EventEmitter } from "node:events";
import { fileURLToPath } from "node:url";
import type { Measured } from "../support/cpu-meter.js";
import { spawnPinnedNode } from "../support/pinned-node.js";
import { share } from "../support/share.js";
import type {
  Anomalies,
  CommandName,
  Commands,
  ConnectReport,
  HeldState,
  ViewerGroup,
  WorkerMessage,
} from "./protocol.js";

const WORKER_SCRIPT = fileURLToPath(new URL("./worker.js", import.meta.url));

interface Pending {
  resolve(body: unknown): void;
  reject(err: Error): void;
}

/** Events of the whole pool; `worker` is the index of the reporting worker. */
interface PoolEvents {
  complete: [worker: number, position: number, at: number];
  held: [worker: number, state: HeldState];
}

/** The runner's handle on its load workers: commands with replies, and their reports. */
export class LoadPool extends EventEmitter<PoolEvents> {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  private constructor(
    private readonly workers: ChildProcess[],
    private readonly core: number,
  ) {
    super();
    workers.forEach((worker, index) => {
      worker.on("message", (message: WorkerMessage) => this.receive(index, message));
      worker.once("exit", (code, signal) => {
        for (const pending of this.pending.values()) {
          pending.reject(new Error(`load worker ${index} exited (${code ?? signal})`));
        }
      });
    });
  }

  /** Starts `count` workers pinned to `core`. */
  static start(count: number, core: number): LoadPool {
    const workers = Array.from({ length: count }, () =>
      spawnPinnedNode({
        core,
        args: [WORKER_SCRIPT],
        stdio: ["ignore", "inherit", "inherit", "ipc"],
      }),
    );
    return new LoadPool(workers, core);
  }

  get size(): number {
    return this.workers.length;
  }

  measured(): Measured[] {
    return this.workers.map((worker, index) => ({
      name: `load worker ${index + 1}`,
      pid: worker.pid!,
      core: this.core,
      server: false,
    }));
  }

  /**
   * Connects viewers, each group split evenly between the workers, and
   * answers with the span of the whole connect, from the first start to the
   * last subscription answered.
   */
  async connect(groups: ViewerGroup[], concurrency: number): Promise<ConnectReport> {
    const shares = this.workers.map((_, index) =>
      groups
        .map((group) => ({ ...group, count: share(group.count, this.size, index) }))
        .filter((group) => group.count > 0),
    );
    return merge(
      await Promise.all(
        shares.map((groups, index) => this.request(index, "connect", { groups, concurrency })),
      ),
    );
  }

  /** Anomalies of every worker since the last ask, summed; counting starts again. */
  async anomalies(): Promise<Anomalies> {
    return (await this.all("anomalies", {})).reduce((sum, part) => ({
      disorder: sum.disorder + part.disorder,
      drops: sum.drops + part.drops,
    }));
  }

  async reconnect(concurrency: number, attempts: number): Promise<ConnectReport> {
    return merge(await this.all("reconnect", { concurrency, attempts }));
  }

  /** Sends one command to every worker. */
  all<K extends CommandName>(
    command: K,
    args: Commands[K]["args"],
  ): Promise<Commands[K]["reply"][]> {
    return Promise.all(this.workers.map((_, index) => this.request(index, command, args)));
  }

  private request<K extends CommandName>(
    worker: number,
    command: K,
    args: Commands[K]["args"],
  ): Promise<Commands[K]["reply"]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve, reject });
      this.workers[worker].send({ id, command, args });
    });
  }

  /** Lets every worker exit by itself (closing the IPC channel ends it), or kills it after 5 s. */
  async close(): Promise<void> {
    await Promise.all(
      this.workers.map(async (worker) => {
        if (worker.exitCode !== null || worker.signalCode !== null) return;
        const exited = new Promise((resolve) => worker.once("exit", resolve));
        const timer = setTimeout(() => worker.kill("SIGKILL"), 5000);
        worker.disconnect();
        await exited;
        clearTimeout(timer);
      }),
    );
  }

  private receive(worker: number, message: WorkerMessage): void {
    switch (message.type) {
      case "reply":
      case "failed": {
        const pending = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (message.type === "reply") pending?.resolve(message.body);
        else pending?.reject(new Error(`load worker ${worker}: ${message.error}`));
        return;
      }
      case "complete":
        this.emit("complete", worker, message.position, message.at);
        return;
      case "held": {
        const { type: _, ...state } = message;
        this.emit("held", worker, state);
      }
    }
  }
}

function merge(reports: ConnectReport[]): ConnectReport {
  const firstError = reports.find((report) => report.firstError)?.firstError;
  return {
    started: Math.min(...reports.map((report) => report.started)),
    finished: Math.max(...reports.map((report) => report.finished)),
    connected: reports.reduce((sum, report) => sum + report.connected, 0),
    failed: reports.reduce((sum, report) => sum + report.failed, 0),
    ...(firstError === undefined ? {} : { firstError }),
  };
}
