import { TARGET_NAMES } from "../targets/target.js";
import { decimal, whole } from "./format.js";
import { markdownTable } from "./markdown-table.js";
import type { BenchResults } from "./results.js";

/** The CPU profiles: top self time, time per owner, and the server's own code inclusive. */
export function profileSection({ profiles, failures }: BenchResults): string {
  const failed = failures
    .filter((failure) => failure.scenario === "profile")
    .map((failure) => `- ❌ a profile run failed: ${failure.error}`);
  if (profiles.length === 0) {
    return failed.length > 0 ? failed.join("\n\n") : "Not profiled (`--no-profile`).";
  }
  return [
    "One extra run per server at the top level under `node --cpu-prof` (not part of the medians; " +
      "profiling slows a server down). Self time as a share of busy samples, whole run (connect, " +
      "idle, fixed rate, sustained, and the SIGINT shutdown). Lines are of the compiled JavaScript in " +
      "`dist/` and in `node_modules`; the `.cpuprofile` files open in Chrome DevTools or speedscope.",
    ...profiles.map((profile) =>
      [
        `**${TARGET_NAMES[profile.target]}, ${whole(profile.viewers)} viewers** ` +
          `(${whole(profile.summary.busyMs)} ms busy; by owner: ` +
          profile.summary.owners
            .slice(0, 6)
            .map((owner) => `${owner.owner} ${decimal(owner.selfPercent)} %`)
            .join(", ") +
          ")",
        markdownTable(
          ["Function (self time)", "Owner", "Self %"],
          profile.summary.top.map((fn) => [`\`${fn.name}\``, fn.owner, decimal(fn.selfPercent)]),
        ),
        ...(profile.summary.ownCode.length === 0
          ? []
          : [
              "The server's own functions by inclusive time (they and everything they call; nested ones overlap):",
              markdownTable(
                ["Function (inclusive)", "Inclusive %"],
                profile.summary.ownCode.map((fn) => [`\`${fn.name}\``, decimal(fn.selfPercent)]),
              ),
            ]),
      ].join("\n\n"),
    ),
    ...failed,
  ].join("\n\n");
}
