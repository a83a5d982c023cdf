import { spawn, spawnSync, type ChildProcess, type StdioOptions } from "node:child_process";
import { track } from "./cleanup.js";

export interface PinnedNodeOptions {
  /** The CPU core the process may run on. */
  core: number;
  /** Arguments after `node`: flags, script, script arguments. */
  args: string[];
  env?: NodeJS.ProcessEnv;
  stdio: StdioOptions;
}

/**
 * Starts `node` pinned to one core with `taskset`, its open-file limit raised
 * to the hard limit first (each connection is a descriptor). `exec` keeps the
 * pid the node process's own, so /proc and signals reach it directly.
 */
export function spawnPinnedNode({ core, args, env, stdio }: PinnedNodeOptions): ChildProcess {
  const child = spawn(
    "bash",
    [
      "-c",
      'ulimit -n "$(ulimit -Hn)" && exec taskset -c "$0" "$@"',
      String(core),
      process.execPath,
      ...args,
    ],
    { stdio, env: { ...process.env, ...env } },
  );
  track(child);
  return child;
}

/** Pins every thread of an already running process (the runner itself, Redis) to one core. */
export function pin(pid: number, core: number): void {
  const result = spawnSync("taskset", ["-a", "-pc", String(core), String(pid)], {
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`taskset could not pin ${pid}: ${result.stderr}`);
}
