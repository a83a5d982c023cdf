import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import { freePort } from "../scripts/free-port.js";

const CLUSTER = fileURLToPath(new URL("../scripts/cluster.js", import.meta.url));

/** `npm run cluster`'s script, run to its end with a marker in its environment that its children inherit. */
function runCluster(args: string[], env: Record<string, string> = {}) {
  const marker = randomUUID();
  const child = spawn(process.execPath, [CLUSTER, ...args], {
    env: { ...process.env, ...env, MATCHDAY_CLUSTER_RUN: marker },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise<{ code: number | null; stdout: string; stderr: string; marker: string }>(
    (resolve) => child.once("close", (code) => resolve({ code, stdout, stderr, marker })),
  );
}

/** Processes still running with `marker` in their environment. */
function survivors(marker: string): string[] {
  return readdirSync("/proc")
    .filter((pid) => /^\d+$/.test(pid))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/environ`, "utf8").includes(marker);
      } catch {
        return false;
      }
    });
}

describe("npm run cluster, when it cannot start", function () {
  this.timeout(60_000);
  let busy: Server;
  let port: number;
  before(async () => {
    port = await freePort();
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(port, "127.0.0.1", resolve));
  });
  after(() => new Promise<void>((resolve) => busy.close(() => resolve())));

  it("says in one sentence that --port is busy, exits non-zero and leaves no process", async () => {
    const run = await runCluster(["--port", String(port)]);
    expect(run.code).to.equal(1);
    expect(run.stderr.trim()).to.equal(
      `npm run cluster: port ${port} is already in use; pick another with --port.`,
    );
    expect(survivors(run.marker)).to.deep.equal([]);
  });

  it("stops the instances it started when the balancer cannot start", async () => {
    // Debian's nginx is in /usr/sbin; redis-server and haproxy's absence do not matter here.
    const path = (process.env.PATH ?? "")
      .split(":")
      .filter((dir) => !dir.endsWith("/sbin"))
      .join(":");
    const run = await runCluster(["--port", String(await freePort()), "--lb", "nginx"], {
      PATH: path,
    });
    expect(run.code).to.equal(1);
    expect(run.stderr.trim()).to.match(/^npm run cluster: nginx is not installed: [^\n]+\.$/);
    expect(survivors(run.marker)).to.deep.equal([]);
  });

  it("refuses --redis-cluster with REDIS_URL set, in one sentence", async () => {
    const run = await runCluster(["--redis-cluster"], { REDIS_URL: "redis://127.0.0.1:1" });
    expect(run.code).to.equal(2);
    expect(run.stderr.trim()).to.equal(
      "npm run cluster: --redis-cluster starts a Redis Cluster of its own, so unset REDIS_URL.",
    );
    expect(survivors(run.marker)).to.deep.equal([]);
  });

  it("answers an unknown flag with one sentence and the usage, no stack", async () => {
    const run = await runCluster(["--bogus"]);
    expect(run.code).to.equal(2);
    const [sentence, ...rest] = run.stderr.trim().split("\n");
    expect(sentence).to.equal("npm run cluster: Unknown option '--bogus'.");
    expect(rest.join("\n")).to.include("usage: npm run cluster --");
    expect(run.stderr).not.to.include("    at ");
  });
});
