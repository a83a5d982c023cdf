import { readFileSync } from "node:fs";

/** The parts of a V8 `.cpuprofile` the summary reads. */
interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
  }>;
  samples: number[];
  timeDeltas: number[];
}

export interface HotFunction {
  /** `name (file:line)`, the file relative to the repository or to node_modules. */
  name: string;
  /** Where it lives: an npm package, `server`, `node` internals, or a V8 bucket. */
  owner: string;
  /** Share of the busy (non-idle) samples, percent. */
  selfPercent: number;
}

export interface ProfileSummary {
  /** Busy time sampled, ms. */
  busyMs: number;
  top: HotFunction[];
  /** Self time per owner, busiest first. */
  owners: Array<{ owner: string; selfPercent: number }>;
}

/** The top self-time functions of a profile, and self time per package. */
export function summarizeProfile(path: string, topCount: number): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, "utf8")) as CpuProfile;
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const self = new Map<string, { owner: string; us: number }>();
  let busyUs = 0;
  profile.samples.forEach((id, i) => {
    const frame = frames.get(id)!;
    if (frame.functionName === "(idle)") return;
    const us = profile.timeDeltas[i] ?? 0;
    busyUs += us;
    const { file, owner } = locate(frame.url);
    const name = `${frame.functionName || "(anonymous)"}${file ? ` (${file}:${frame.lineNumber + 1})` : ""}`;
    const entry = self.get(name) ?? { owner, us: 0 };
    entry.us += us;
    self.set(name, entry);
  });
  const percent = (us: number) => (100 * us) / busyUs;
  const byOwner = new Map<string, number>();
  for (const { owner, us } of self.values()) byOwner.set(owner, (byOwner.get(owner) ?? 0) + us);
  return {
    busyMs: busyUs / 1000,
    top: [...self]
      .sort((a, b) => b[1].us - a[1].us)
      .slice(0, topCount)
      .map(([name, { owner, us }]) => ({ name, owner, selfPercent: percent(us) })),
    owners: [...byOwner]
      .sort((a, b) => b[1] - a[1])
      .map(([owner, us]) => ({ owner, selfPercent: percent(us) })),
  };
}

/** A short file name and its owner: the npm package, `node`, or the repository folder. */
function locate(url: string): { file: string; owner: string } {
  if (url === "") return { file: "", owner: "V8 / native" };
  if (url.startsWith("node:")) return { file: url, owner: "node" };
  const path = url.replace(/^file:\/\//, "");
  const modules = path.lastIndexOf("/node_modules/");
  if (modules >= 0) {
    const file = path.slice(modules + "/node_modules/".length);
    const parts = file.split("/");
    return { file, owner: parts[0]!.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0]! };
  }
  const dist = path.lastIndexOf("/dist/");
  const file = dist >= 0 ? path.slice(dist + "/dist/".length) : path;
  return { file, owner: file.split("/")[0]! };
}
