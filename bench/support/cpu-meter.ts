import { monotonicMs } from "./clock.js";
import { coreTimes, cpuMs, preciseCpuMs, type CoreTimes } from "./proc-stats.js";

/** A process whose CPU time a measurement reads. */
export interface Measured {
  name: string;
  pid: number;
  /** The core it is pinned to. */
  core: number;
  /** Whether it is a server under test (its CPU is what a delivery costs). */
  server: boolean;
  /** Whether it is a redis-server: what a delivery costs Redis, apart from the servers' own cost. */
  redis?: boolean;
}

export interface ProcessLoad {
  name: string;
  core: number;
  /** Share of one core used over the window, in percent. */
  percent: number;
}

export interface CoreLoad {
  core: number;
  /** Share of the core that was busy, percent. */
  busyPercent: number;
  /** Busy share not used by any measured process pinned to it: other work, or the hypervisor's. */
  foreignPercent: number;
}

export interface CpuWindow {
  seconds: number;
  /** CPU time of the servers under test, summed, in ms. */
  serverCpuMs: number;
  /** CPU time of the Redis processes, summed (every node of a cluster), in ms. */
  redisCpuMs: number;
  /** Every measured process, busiest first. */
  loads: ProcessLoad[];
  /** The cores the measured processes are pinned to. */
  cores: CoreLoad[];
}

/** The most of a core that other work took in any of `windows`, percent. */
export function foreignPercent(...windows: ReadonlyArray<{ cores: readonly CoreLoad[] }>): number {
  return Math.max(
    0,
    ...windows.flatMap((window) => window.cores.map((core) => core.foreignPercent)),
  );
}

/** Redis spends a few ms per phase: too little for /proc's 10 ms ticks, so its time is read exactly. */
const cpuOf = (measured: Measured) => (measured.redis ? preciseCpuMs : cpuMs)(measured.pid);

/** Measures the CPU time of a fixed set of processes between `start()` and `stop()`. */
export class CpuMeter {
  private startedAt = 0;
  private startCpu: number[] = [];
  private startCores: CoreTimes[] = [];

  constructor(private readonly processes: readonly Measured[]) {}

  start(): void {
    this.startedAt = monotonicMs();
    this.startCpu = this.processes.map(cpuOf);
    this.startCores = coreTimes();
  }

  stop(): CpuWindow {
    const ms = monotonicMs() - this.startedAt;
    const used = this.processes.map((p, i) => cpuOf(p) - this.startCpu[i]);
    const endCores = coreTimes();
    const pinned = [...new Set(this.processes.map((p) => p.core))].sort();
    const cores = pinned.map((core) => {
      const start = this.startCores[core];
      const end = endCores[core];
      const busyPercent = (100 * (end.busy - start.busy)) / (end.total - start.total);
      const ours = used.reduce(
        (sum, cpu, i) => sum + (this.processes[i].core === core ? cpu : 0),
        0,
      );
      return { core, busyPercent, foreignPercent: Math.max(0, busyPercent - (100 * ours) / ms) };
    });
    return {
      seconds: ms / 1000,
      serverCpuMs: used.reduce((sum, cpu, i) => sum + (this.processes[i].server ? cpu : 0), 0),
      redisCpuMs: used.reduce((sum, cpu, i) => sum + (this.processes[i].redis ? cpu : 0), 0),
      loads: this.processes
        .map((p, i) => ({ name: p.name, core: p.core, percent: (100 * used[i]) / ms }))
        .sort((a, b) => b.percent - a.percent),
      cores,
    };
  }
}
