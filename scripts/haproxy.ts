import type { BalancerRecipe } from "./balancer-process.js";
import { renderHaproxyConfig } from "./haproxy-config.js";

/** Debian's HAProxy running `deploy/haproxy.cfg`. */
export const haproxy: BalancerRecipe = {
  binary: "haproxy",
  render: renderHaproxyConfig,
  args: (_dir, config) => ["-db", "-f", config],
};
