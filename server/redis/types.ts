import type { createClient } from "redis";

/** A connected node-redis client with the default modules. */
export type RedisClient = ReturnType<typeof createClient>;
