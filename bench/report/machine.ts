import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { availableParallelism, loadavg, release, totalmem } from "node:os";
import { REPO_ROOT } from "../support/paths.js";

/** Where the numbers came from. */
export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  kernel: string;
  node: string;
  redis: string;
  /** Versions of the packages on the measured paths. */
  packages: Record<string, string>;
  /** 1-minute load average when the bench started: other work on the machine shows here. */
  loadAverage: number;
}

const PACKAGES = ["socket.io", "engine.io", "ws", "@socket.io/redis-adapter", "redis"];

export function describeMachine(): Machine {
  const cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
  const redis = spawnSync("redis-server", ["--version"], { encoding: "utf8" }).stdout ?? "";
  return {
    cpu: /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? "unknown",
    cores: availableParallelism(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
    redis: /v=(\S+)/.exec(redis)?.[1] ?? "unknown",
    packages: Object.fromEntries(PACKAGES.map((name) => [name, packageVersion(name)])),
    loadAverage: loadavg()[0],
  };
}

function packageVersion(name: string): string {
  try {
    const manifest = readFileSync(`${REPO_ROOT}node_modules/${name}/package.json`, "utf8");
    return (JSON.parse(manifest) as { version: string }).version;
  } catch {
    return "not installed";
  }
}
