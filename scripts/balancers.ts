import { haproxy } from "./haproxy.js";
import { nginx } from "./nginx.js";

/** The recipes of `deploy/`, each run and tested the same way. */
export const BALANCERS = { haproxy, nginx } as const;

export type BalancerKind = keyof typeof BALANCERS;
