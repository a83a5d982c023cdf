import type { createClient } from "redis";

/** A connected node-redis client with the default modules. */
export type RedisClient = ReturnType<typeof createClient>;

/**
 * What the stores use of Redis: a single client and a cluster client both
 * give it, the cluster routing each command by its first key. Every command
 * and script therefore names keys of one hash slot only.
 */
export type RedisCommands = Pick<
  RedisClient,
  | "get"
  | "set"
  | "del"
  | "mGet"
  | "pTTL"
  | "hGet"
  | "hmGet"
  | "hVals"
  | "hGetAll"
  | "hSet"
  | "hDel"
  | "sMembers"
  | "sAdd"
  | "sRem"
  | "zAdd"
  | "zRem"
  | "zRangeWithScores"
  | "zRangeByScoreWithScores"
  | "xRange"
  | "evalSha"
  | "eval"
>;

/**
 * Called after a change is stored, with a key of it: with REDIS_WAIT_REPLICAS
 * it resolves once enough replicas hold the change, and rejects otherwise.
 */
export type Replicated = (key: string) => Promise<void>;

/** Changes count as durable once the primary has them. */
export const primaryOnly: Replicated = async () => {};
