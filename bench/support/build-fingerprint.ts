import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "./paths.js";

/** The compiled code every matchday process loads. */
const BUILD_DIRS = ["dist/server", "dist/contract"];

/**
 * A fingerprint of the compiled server (paths, sizes, modification times):
 * when it differs at the end of a bench from its start, someone rebuilt the
 * server meanwhile and the runs measured more than one version of it.
 */
export function buildFingerprint(): string {
  const hash = createHash("sha256");
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(path);
      } else {
        const { size, mtimeMs } = statSync(path);
        hash.update(`${path} ${size} ${mtimeMs}\n`);
      }
    }
  };
  for (const dir of BUILD_DIRS) walk(join(REPO_ROOT, dir));
  return hash.digest("hex");
}

/** The commit checked out, and whether the server's sources differ from it. */
export function sourceRevision(): { commit: string; dirty: boolean } {
  const git = (...args: string[]) =>
    spawnSync("git", args, { cwd: REPO_ROOT, encoding: "utf8" }).stdout.trim();
  return {
    commit: git("rev-parse", "--short", "HEAD") || "unknown",
    dirty: git("status", "--porcelain", "--", "server", "contract") !== "",
  };
}
