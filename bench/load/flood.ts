import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import type { Measured } from "../support/cpu-meter.js";
import { spawnPinnedNode } from "../support/pinned-node.js";
import type { FloodCounts, FloodSpec, FlooderMessage } from "./protocol.js";

const FLOODER_SCRIPT = fileURLToPath(new URL("./flooder.js", import.meta.url));
/** Longer than a handshake with a busy server takes. */
const REPORT_TIMEOUT_MS = 20_000;

/** The runner's handle on a flooder process (see flooder.ts). */
export class Flood {
  private constructor(
    private readonly child: ChildProcess,
    private readonly core: number,
  ) {}

  /** Starts a flooder on `core` under SCHED_IDLE; resolves once its first hostile socket floods. */
  static async start(spec: FloodSpec, core: number): Promise<Flood> {
    const child = spawnPinnedNode({
      core,
      idle: true,
      args: [FLOODER_SCRIPT, JSON.stringify(spec)],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const flood = new Flood(child, core);
    try {
      await flood.report("flooding");
    } catch (err) {
      flood.kill();
      throw err;
    }
    return flood;
  }

  measured(): Measured {
    return { name: "flooder", pid: this.child.pid!, core: this.core, server: false };
  }

  /** Stops every hostile socket; answers what the flood did. */
  async stop(): Promise<FloodCounts> {
    const stopped = this.report("stopped");
    this.child.send("stop");
    const { type: _, ...counts } = (await stopped) as Extract<FlooderMessage, { type: "stopped" }>;
    return counts;
  }

  /** Ends the flooder at once, if it still runs. */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGKILL");
  }

  /** The flooder's next report, which must be `type` (it sends them in that order). */
  private async report(type: FlooderMessage["type"]): Promise<FlooderMessage> {
    const [message] = (await once(this.child, "message", {
      signal: AbortSignal.timeout(REPORT_TIMEOUT_MS),
    }).catch(() => {
      throw new Error(`the flooder sent no ${type} report within ${REPORT_TIMEOUT_MS} ms`);
    })) as [FlooderMessage];
    if (message.type !== type) throw new Error(`the flooder said ${message.type}, not ${type}`);
    return message;
  }
}
