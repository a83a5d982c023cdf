import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { request } from "node:http";
import { join } from "node:path";
import { instanceOfSession } from "../server/realtime/session-id.js";
import { freePort } from "./free-port.js";

/** One instance behind the balancer: its `INSTANCE_ID` and its port on 127.0.0.1. */
export interface Upstream {
  id: string;
  port: number;
}

/** How to run one balancer binary on one of the recipes in `deploy/`. */
export interface BalancerRecipe {
  binary: string;
  /** The recipe, rendered for a frontend on `port` in front of `upstreams`. */
  render(port: number, upstreams: readonly Upstream[]): string;
  /** Arguments that keep it in the foreground, with its files in `dir`. */
  args(dir: string, config: string): string[];
}

/**
 * A balancer running a recipe of `deploy/` in the foreground, its config,
 * pid and temporary files in a directory of its own.
 */
export class BalancerProcess {
  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
    readonly url: string,
  ) {}

  /**
   * Starts on `port` (a free one by default) and waits until an instance
   * answers `/readyz` through it. Rejects with one sentence, then what the
   * balancer printed.
   */
  static async start(
    recipe: BalancerRecipe,
    upstreams: readonly Upstream[],
    port?: number,
  ): Promise<BalancerProcess> {
    if (spawnSync(recipe.binary, ["-v"]).error) {
      throw new Error(
        `${recipe.binary} is not installed: install it with "apt-get install ${recipe.binary}".`,
      );
    }
    port ??= await freePort();
    const dir = mkdtempSync(join(tmpdir(), `matchday-${recipe.binary}-`));
    // Started as root, nginx's workers run as another user and keep request
    // bodies in temporary files here.
    chmodSync(dir, 0o755);
    const config = join(dir, `${recipe.binary}.conf`);
    writeFileSync(config, recipe.render(port, upstreams));
    const child = spawn(recipe.binary, recipe.args(dir, config), {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let errors = "";
    child.stderr.on("data", (chunk: Buffer) => (errors += chunk.toString()));
    const proxy = new BalancerProcess(child, dir, `http://127.0.0.1:${port}`);
    for (const started = Date.now(); ;) {
      if ((await probe(`${proxy.url}/readyz`))?.status === 200) return proxy;
      if (Date.now() - started > 15_000 || child.exitCode !== null) {
        await proxy.stop();
        const why = /address already in use/i.test(errors) ? "the port is in use" : "see below";
        throw new Error(`${recipe.binary} did not serve on port ${port} (${why}).\n${errors}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /**
   * The instances that take new sessions through the balancer now, by the
   * prefix of the session ids they issue: one that is down or draining is
   * absent. Each probe session is closed again.
   */
  async serving(samples = 12): Promise<Set<string>> {
    const ids = new Set<string>();
    for (let i = 0; i < samples; i++) {
      const answer = await probe(`${this.url}/socket.io/?EIO=4&transport=polling`);
      const sid = /"sid":"([^"]+)"/.exec(answer?.body ?? "")?.[1];
      const id = sid && instanceOfSession(sid);
      if (!id) continue;
      ids.add(id);
      await probe(`${this.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`, "1");
    }
    return ids;
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

/**
 * One request on a connection of its own, closed after the answer: an idle
 * keep-alive connection would count against the per-IP limit of the tests.
 * Undefined when the balancer does not answer.
 */
function probe(url: string, body?: string): Promise<{ status: number; body: string } | undefined> {
  return new Promise((resolve) => {
    const req = request(url, { method: body ? "POST" : "GET", agent: false }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      res.on("error", () => resolve(undefined));
    });
    req.on("error", () => resolve(undefined));
    req.end(body);
  });
}
