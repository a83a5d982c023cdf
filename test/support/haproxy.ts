import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderHaproxyConfig } from "../../scripts/haproxy-config.js";
import { freePort } from "./ports.js";
import { eventually } from "./wait.js";

/** Debian's HAProxy running `deploy/haproxy.cfg` in front of the given instance ports. */
export class Haproxy {
  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
    readonly url: string,
  ) {}

  static async start(instancePorts: readonly number[]): Promise<Haproxy> {
    if (spawnSync("haproxy", ["-v"]).error) {
      throw new Error(
        "haproxy is not installed: the load-balancer tests need it (apt-get install haproxy)",
      );
    }
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), "matchday-haproxy-"));
    const config = join(dir, "haproxy.cfg");
    writeFileSync(config, renderHaproxyConfig(port, instancePorts));
    const child = spawn("haproxy", ["-db", "-f", config], { stdio: ["ignore", "ignore", "pipe"] });
    let errors = "";
    child.stderr!.on("data", (chunk: Buffer) => (errors += chunk.toString()));
    const proxy = new Haproxy(child, dir, `http://127.0.0.1:${port}`);
    await eventually(`haproxy serves /readyz (${errors})`, async () => {
      const res = await fetch(`${proxy.url}/readyz`).catch(() => undefined);
      return res?.status === 200;
    });
    return proxy;
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.kill("SIGTERM");
    await exited;
    rmSync(this.dir, { recursive: true, force: true });
  }
}
