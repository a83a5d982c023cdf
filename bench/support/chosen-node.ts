import { spawnSync } from "node:child_process";
import { realpathSync } from "node:fs";

/**
 * `--node <path>`: when the bench runs on another Node than the one asked
 * for, it runs itself again on that one (its servers and load workers follow,
 * as they start on `process.execPath`) and exits with its status.
 */
export function rerunOn(node: string | undefined): void {
  if (node === undefined || realpathSync(node) === realpathSync(process.execPath)) return;
  const run = spawnSync(node, process.argv.slice(1), { stdio: "inherit" });
  if (run.error) throw new Error(`--node ${node} could not run: ${run.error.message}`);
  process.exit(run.status ?? 1);
}
