import type { BenchRedisCluster } from "../support/bench-redis-cluster.js";
import type { BenchRedis } from "../support/bench-redis.js";
import type { DialectSpec } from "../wire/dialect.js";
import type { ServerProcess } from "./server-process.js";

/** The servers the bench compares, in the order it runs and reports them. */
export const TARGET_IDS = ["ws", "socketio", "matchday"] as const;

export type TargetId = (typeof TARGET_IDS)[number];

/** How each server is named in progress lines and the report. */
export const TARGET_NAMES: Record<TargetId, string> = {
  ws: "bare ws",
  socketio: "Socket.IO + Redis adapter",
  matchday: "matchday",
};

/** One instance alone, or two behind Redis (viewers split, publishing on the first). */
export type Topology = "single" | "pair";

/** The core every server under test runs on; the load, the runner and Redis use the other. */
export const SERVER_CORE = 0;
export const LOAD_CORE = 1;

export interface DeployOptions {
  redis: BenchRedis;
  /** When set, a matchday pair shares this Redis Cluster instead of `redis` (the baselines have no cluster mode). */
  cluster?: BenchRedisCluster;
  /** Extra node flags for every server (e.g. --cpu-prof). */
  nodeFlags?: string[];
  /** Extra environment for every server of a matchday deployment. */
  env?: Record<string, string>;
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
