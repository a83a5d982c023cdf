import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Upstream } from "./balancer-process.js";

/** The recipe operators use; tests and `npm run cluster -- --lb nginx` run the same file with their own ports. */
export const NGINX_RECIPE = fileURLToPath(new URL("../../deploy/nginx.conf", import.meta.url));

/**
 * `deploy/nginx.conf` listening on `port`, with one `sid` route and one
 * `least_conn` server per upstream; everything else as written.
 */
export function renderNginxConfig(port: number, upstreams: readonly Upstream[]): string {
  const routes = upstreams
    .map(({ id, port }) => `        ~^${id}\\.    127.0.0.1:${port};\n`)
    .join("");
  const servers = upstreams
    .map(({ port }) => `        server 127.0.0.1:${port} max_fails=1 fail_timeout=2s;\n`)
    .join("");
  return readFileSync(NGINX_RECIPE, "utf8")
    .replace(/^(\s*listen\s+)[^;]+/m, `$1127.0.0.1:${port}`)
    .replace(/(^\s*~\^.*\n)+/m, routes)
    .replace(/(^\s*server \d.*\n)+/m, servers);
}
