import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

/** Clock ticks per second of /proc times (USER_HZ). */
const TICKS_PER_SECOND =
  Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout) || 100;

/** CPU time a process has used, user plus system, over all its threads, in ms. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name, which is in parentheses and may hold spaces:
  // state is field 3, utime 14 and stime 15.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/**
 * The same CPU time to the nanosecond: the scheduler's runtime of each of the
 * process's threads, from /proc/<pid>/task/<tid>/schedstat. /proc/<pid>/stat
 * counts in 10 ms ticks, about what one Redis spends in a whole phase. Threads
 * already gone are not counted, so this suits processes whose threads live as
 * long as they do, as Redis's.
 */
export function preciseCpuMs(pid: number): number {
  let ns = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return ns / 1e6;
}

/** Resident set size of a process, in bytes. */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  if (!match) throw new Error(`no VmRSS for ${pid}`);
  return Number(match[1]) * 1024;
}

/** Busy and total time of one core so far, in clock ticks, from /proc/stat. */
export interface CoreTimes {
  /** user + nice + system + irq + softirq + steal (steal: the hypervisor ran something else). */
  busy: number;
  total: number;
}

/** Times of every core, indexed by core number. */
export function coreTimes(): CoreTimes[] {
  const cores: CoreTimes[] = [];
  for (const line of readFileSync("/proc/stat", "utf8").split("\n")) {
    const match = /^cpu(\d+) (.*)$/.exec(line);
    if (!match) continue;
    const [user, nice, system, idle, iowait, irq, softirq, steal] = match[2].split(" ").map(Number);
    const busy = user + nice + system + irq + softirq + steal;
    cores[Number(match[1])] = { busy, total: busy + idle + iowait };
  }
  return cores;
}

/** The kernel's TCP counters that show a listen queue overflowing, machine-wide. */
export interface ListenCounters {
  /** Connections dropped because a listen (accept) queue was full: `TcpExt ListenOverflows`. */
  overflows: number;
  /** SYNs sent again because no answer came: `TcpExt TCPSynRetrans`. */
  synRetransmits: number;
}

export function listenCounters(): ListenCounters {
  const lines = readFileSync("/proc/net/netstat", "utf8")
    .split("\n")
    .filter((line) => line.startsWith("TcpExt:"));
  const names = lines[0].split(" ");
  const values = lines[1].split(" ").map(Number);
  const value = (name: string) => values[names.indexOf(name)] ?? 0;
  return { overflows: value("ListenOverflows"), synRetransmits: value("TCPSynRetrans") };
}
