import type { BalancerRecipe } from "./balancer-process.js";
import { renderNginxConfig } from "./nginx-config.js";

/** Debian's nginx running `deploy/nginx.conf` as a foreground process of its own (`daemon off` is in the recipe). */
export const nginx: BalancerRecipe = {
  binary: "nginx",
  render: renderNginxConfig,
  // Its prefix holds the pid and temporary files; `-e` keeps it off /var/log.
  args: (dir, config) => ["-p", dir, "-e", "stderr", "-c", config],
};
