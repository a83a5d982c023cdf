import type { BenchRedis } from "../support/bench-redis.js";
import type { DialectSpec } from "../wire/dialect.js";
import type { ServerProcess } from "./server-process.js";

export type TargetId = "ws" | "socketio" | "matchday";

/** One instance alone, or two behind Redis (viewers split, publishing on the first). */
export type Topology = "single" | "pair";

/** The core every server under test runs on; the load, the runner and Redis use the other. */
export const SERVER_CORE = 0;
export const LOAD_CORE = 1;

export interface DeployOptions {
  redis: BenchRedis;
  /** Extra node flags for every server (e.g. --cpu-prof). */
  nodeFlags?: string[];
}

/** Running servers of one target, ready for viewers. */
export interface Deployment {
  servers: ServerProcess[];
  dialect: DialectSpec;
  /** Handshake auth of the publisher socket. */
  publisherAuth?: object;
}

/** A server under test, as the load generator sees it. */
export interface Target {
  id: TargetId;
  label: string;
  topologies: readonly Topology[];
  deploy(topology: Topology, options: DeployOptions): Promise<Deployment>;
}

/** Stops every server of a deployment: SIGKILL, or SIGINT so profiles get written. */
export async function stopDeployment(deployment: Deployment, gently = false): Promise<void> {
  await Promise.all(
    deployment.servers.map((server) => (gently ? server.interrupt(30_000) : server.kill())),
  );
}

/** Names the instances of a topology: "A" alone, or "A" and "B". */
export const instanceNames = (topology: Topology) => (topology === "pair" ? ["A", "B"] : ["A"]);
