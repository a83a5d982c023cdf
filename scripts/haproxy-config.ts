import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Upstream } from "./balancer-process.js";

/** The recipe operators use; tests and `npm run cluster` run the same file with their own ports. */
export const HAPROXY_RECIPE = fileURLToPath(new URL("../../deploy/haproxy.cfg", import.meta.url));

/**
 * `deploy/haproxy.cfg` with the frontend on `port` and, in each backend, one
 * server per upstream named by its `INSTANCE_ID`; everything else as written.
 */
export function renderHaproxyConfig(port: number, upstreams: readonly Upstream[]): string {
  const servers = upstreams.map(({ id, port }) => `    server ${id} 127.0.0.1:${port}\n`).join("");
  return readFileSync(HAPROXY_RECIPE, "utf8")
    .replace(/^(\s*bind\s+)\S+/m, `$1127.0.0.1:${port}`)
    .replace(/(^\s*server .*\n?)+/gm, servers);
}
