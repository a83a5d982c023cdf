import type { ChildProcess } from "node:child_process";

const children = new Set<ChildProcess>();
const pids = new Set<number>();
const tasks = new Set<() => Promise<void>>();

/** Kills `child` with SIGKILL if it still runs when the bench ends, however it ends. */
export function track(child: ChildProcess): void {
  children.add(child);
  child.once("exit", () => children.delete(child));
}

/**
 * Kills a process the bench did not spawn itself (Redis, started by the shared
 * helper) on exit. Answers an untrack for a process stopped earlier, so its
 * pid, once reused by someone else's process, is not killed at the end.
 */
export function trackPid(pid: number): () => void {
  pids.add(pid);
  return () => pids.delete(pid);
}

/** Runs `task` when the bench ends; answers an unregister for work already done earlier. */
export function onCleanup(task: () => Promise<void>): () => void {
  tasks.add(task);
  return () => tasks.delete(task);
}

/** Runs every registered task, then kills every child still running. */
export async function cleanUp(): Promise<void> {
  await Promise.allSettled([...tasks].map((task) => task()));
  tasks.clear();
  killChildren();
}

function killChildren(): void {
  for (const child of children) child.kill("SIGKILL");
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
  pids.clear();
}

/**
 * Ctrl-C and SIGTERM stop everything the bench started before exiting; a
 * crash still kills the children synchronously on the way out.
 */
export function installSignalHandlers(): void {
  process.once("exit", killChildren);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping every server, load worker and Redis started`);
      void cleanUp().finally(() => process.exit(130));
    });
  }
}
