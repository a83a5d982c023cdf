import { readFileSync } from "node:fs";

/** The parts of a V8 `.cpuprofile` the summary reads. */
interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }>;
  samples: number[];
  timeDeltas: number[];
}

export interface HotFunction {
  /** `name (file:line)`, the file relative to the repository or to node_modules. */
  name: string;
  /** Where it lives: an npm package, `server`, `node` internals, or a V8 bucket. */
  owner: string;
  /** Share of the busy (non-idle) samples, percent: self time, or inclusive in `ownCode`. */
  selfPercent: number;
}

export interface ProfileSummary {
  /** Busy time sampled, ms. */
  busyMs: number;
  top: HotFunction[];
  /** Self time per owner, busiest first. */
  owners: Array<{ owner: string; selfPercent: number }>;
  /** Functions of the repository's own server code by inclusive time (what they and their callees cost). */
  ownCode: HotFunction[];
}

/** The owner name of the repository's server code (its folder under dist/). */
const OWN_CODE = "server";

/** The top self-time functions of a profile, and self time per package. */
export function summarizeProfile(path: string, topCount: number): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, "utf8")) as CpuProfile;
  const frames = new Map(
    profile.nodes.map((node) => {
      const { file, owner } = locate(node.callFrame.url);
      const { functionName, lineNumber } = node.callFrame;
      const name = `${functionName || "(anonymous)"}${file ? ` (${file}:${lineNumber + 1})` : ""}`;
      return [node.id, { name, owner, idle: functionName === "(idle)" }];
    }),
  );
  const parents = new Map<number, number>();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) parents.set(child, node.id);
  }
  const self = new Map<string, { owner: string; us: number }>();
  const inclusive = new Map<string, { owner: string; us: number }>();
  const add = (totals: typeof self, name: string, owner: string, us: number) => {
    const entry = totals.get(name) ?? { owner, us: 0 };
    entry.us += us;
    totals.set(name, entry);
  };
  let busyUs = 0;
  profile.samples.forEach((id, i) => {
    const frame = frames.get(id)!;
    if (frame.idle) return;
    const us = profile.timeDeltas[i] ?? 0;
    busyUs += us;
    add(self, frame.name, frame.owner, us);
    // Each own function on the stack counts once, however deep its recursion.
    const seen = new Set<string>();
    for (let node: number | undefined = id; node !== undefined; node = parents.get(node)) {
      const { name, owner } = frames.get(node)!;
      if (owner === OWN_CODE && !seen.has(name)) {
        seen.add(name);
        add(inclusive, name, owner, us);
      }
    }
  });
  const percent = (us: number) => (100 * us) / busyUs;
  const ranked = (totals: typeof self, count: number): HotFunction[] =>
    [...totals]
      .sort((a, b) => b[1].us - a[1].us)
      .slice(0, count)
      .map(([name, { owner, us }]) => ({ name, owner, selfPercent: percent(us) }));
  const byOwner = new Map<string, number>();
  for (const { owner, us } of self.values()) byOwner.set(owner, (byOwner.get(owner) ?? 0) + us);
  return {
    busyMs: busyUs / 1000,
    top: ranked(self, topCount),
    owners: [...byOwner]
      .sort((a, b) => b[1] - a[1])
      .map(([owner, us]) => ({ owner, selfPercent: percent(us) })),
    ownCode: ranked(inclusive, topCount),
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
    return { file, owner: parts[0].startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0] };
  }
  const dist = path.lastIndexOf("/dist/");
  const file = dist >= 0 ? path.slice(dist + "/dist/".length) : path;
  return { file, owner: file.split("/")[0] };
}
