import type { RedisServer } from "../../scripts/redis-server.js";
import type { RedisClient } from "../../server/redis/types.js";
import { metric } from "./http.js";
import type { Instance } from "./instances.js";
import { sleep } from "./stream.js";

/** When a fault healed, and the stored position (version or seq) at that moment. */
export interface Healing {
  healedAt: number;
  atHeal: number;
}

/** SIGKILLs Redis after 1.5 s, restarts it 3 s later, and lets traffic run 2 s more. */
export async function redisRestart(
  redis: RedisServer,
  stored: () => Promise<number>,
): Promise<Healing> {
  await sleep(1500);
  await redis.kill();
  await sleep(3000);
  await redis.restart();
  return healed(stored, 2000);
}

/** Kills every subscriber connection 5 times, 100 ms apart, after 1 s; traffic runs 1 s more. */
export async function pubsubKills(
  redis: RedisServer,
  stored: () => Promise<number>,
): Promise<Healing> {
  await sleep(1000);
  await killPubsub(redis, 5, 100);
  return healed(stored, 1000);
}

/** `CLIENT KILL TYPE pubsub` `times` times, `gapMs` apart: every subscriber connection drops. */
export async function killPubsub(redis: RedisServer, times: number, gapMs: number): Promise<void> {
  const admin = await redis.client();
  try {
    for (let i = 0; i < times; i++) {
      await admin.sendCommand(["CLIENT", "KILL", "TYPE", "pubsub"]);
      await sleep(gapMs);
    }
  } finally {
    await admin.close();
  }
}

/** The fault healed now: notes when and the stored position, then lets traffic run `runOnMs` more. */
async function healed(stored: () => Promise<number>, runOnMs: number): Promise<Healing> {
  const healedAt = Date.now();
  const atHeal = await stored();
  await sleep(runOnMs);
  return { healedAt, atHeal };
}

/** Deliveries the instances re-read from storage so far, over all of them. */
export async function repairs(instances: readonly Instance[]): Promise<number> {
  const counts = await Promise.all(
    instances.map((instance) => metric(instance.url, "matchday_repairs_total")),
  );
  return counts.reduce((a, b) => a + b, 0);
}

/** A hash field straight from Redis (stored versions and seqs), 0 when absent. */
/** A stored figure, read by `read` with a client of its own (not through an instance). */
export async function readStored(
  redis: RedisServer,
  read: (client: RedisClient) => Promise<number>,
): Promise<number> {
  const client = await redis.client();
  try {
    return await read(client);
  } finally {
    await client.close();
  }
}
