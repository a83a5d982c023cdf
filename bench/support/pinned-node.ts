import { spawn, spawnSync, type ChildProcess, type StdioOptions } from "node:child_process";
import { track } from "./cleanup.js";

export interface PinnedNodeOptions {
  /** The CPU core the process may run on. */
  core: number;
  /**
   * Run it under SCHED_IDLE: it gets the core only when nothing else there
   * wants it, and any other process waking up on the core preempts it at once.
   */
  idle?: boolean;
  /** Arguments after `node`: flags, script, script arguments. */
  args: string[];
  env?: NodeJS.ProcessEnv;
  stdio: StdioOptions;
}

/**
 * Starts `node` pinned to one core with `taskset`, its open-file limit raised
 * to the hard limit first (each connection is a descriptor). `exec` (and
 * `chrt`, `taskset` after it) keeps the pid the node process's own, so /proc
 * and signals reach it directly.
 */
export function spawnPinnedNode({ core, idle, args, env, stdio }: PinnedNodeOptions): ChildProcess {
  const child = spawn(
    "bash",
    [
      "-c",
      'ulimit -n "$(ulimit -Hn)" && exec "$0" "$@"',
      ...(idle ? ["chrt", "--idle", "0"] : []),
      "taskset",
      "-c",
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
