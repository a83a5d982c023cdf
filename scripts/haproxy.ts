import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./free-port.js";
import { renderHaproxyConfig } from "./haproxy-config.js";

/** Debian's HAProxy running `deploy/haproxy.cfg` in front of the given instance ports. */
export class Haproxy {
  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
    readonly url: string,
  ) {}

  /** Starts on `port` (a free one by default) and waits until an instance is healthy behind it. */
  static async start(instancePorts: readonly number[], port?: number): Promise<Haproxy> {
    if (spawnSync("haproxy", ["-v"]).error) {
      throw new Error('haproxy is not installed: install it with "apt-get install haproxy"');
    }
    port ??= await freePort();
    const dir = mkdtempSync(join(tmpdir(), "matchday-haproxy-"));
    const config = join(dir, "haproxy.cfg");
    writeFileSync(config, renderHaproxyConfig(port, instancePorts));
    const child = spawn("haproxy", ["-db", "-f", config], { stdio: ["ignore", "ignore", "pipe"] });
    let errors = "";
    child.stderr!.on("data", (chunk: Buffer) => (errors += chunk.toString()));
    const proxy = new Haproxy(child, dir, `http://127.0.0.1:${port}`);
    for (const started = Date.now(); ;) {
      const res = await fetch(`${proxy.url}/readyz`).catch(() => undefined);
      if (res?.status === 200) return proxy;
      if (Date.now() - started > 15_000 || child.exitCode !== null) {
        await proxy.stop();
        throw new Error(`haproxy did not serve /readyz:\n${errors}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /**
   * The servers that answer through the balancer now, named by the sticky
   * cookie each answer sets: a health-checked server that is down is absent.
   */
  async serving(samples = 12): Promise<Set<string>> {
    const names = new Set<string>();
    for (let i = 0; i < samples; i++) {
      const res = await fetch(`${this.url}/healthz`).catch(() => undefined);
      const cookie = res?.headers.get("set-cookie") ?? "";
      const name = /matchday-instance=([^;]+)/.exec(cookie)?.[1];
      if (name) names.add(name);
    }
    return names;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((resolve) => this.child.once("exit", resolve));
      this.child.kill("SIGTERM");
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
