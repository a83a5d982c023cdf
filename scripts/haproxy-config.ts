import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The recipe operators use; tests and `npm run cluster` run the same file with their own ports. */
export const HAPROXY_RECIPE = fileURLToPath(new URL("../../deploy/haproxy.cfg", import.meta.url));

/**
 * `deploy/haproxy.cfg` with the frontend on `port` and one server line per
 * instance port, everything else as written.
 */
export function renderHaproxyConfig(port: number, instancePorts: readonly number[]): string {
  const recipe = readFileSync(HAPROXY_RECIPE, "utf8");
  const servers = instancePorts
    .map((p, i) => `    server i${i} 127.0.0.1:${p} cookie i${i}`)
    .join("\n");
  return recipe
    .replace(/^(\s*bind\s+)\S+/m, `$1127.0.0.1:${port}`)
    .replace(/(^\s*server .*\n?)+/m, `${servers}\n`);
}
