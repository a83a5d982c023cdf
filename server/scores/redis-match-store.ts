import type { Match, MatchId, MatchUpdate } from "../../contract/index.js";
import { KeyedQueue } from "../keyed-queue.js";
import { hashTag } from "../redis/hash-tag.js";
import { LuaScript } from "../redis/lua-script.js";
import { primaryOnly, type RedisCommands, type Replicated } from "../redis/types.js";
import { applyUpdate, type PublishResult } from "../../contract/apply-update.js";
import type { MatchStore, Rank, RankedMatch } from "./match-store.js";

/**
 * Compare-and-set: writes the next state only if the stored version is still
 * the one it was computed from. Versions therefore advance by exactly one per
 * write even when instances race; the loser recomputes from the new state.
 * The same script ranks the match in its bucket's recency index, so the index
 * never lags or leads the states. Ranks are Redis time in microseconds, to
 * compare across buckets; above the bucket's top, so that a bucket's ranks
 * grow even within a microsecond or when the clock steps back; and raised to
 * the bucket's residue modulo the bucket count, so that two buckets never
 * give one rank and a cut at a rank (every-match's threshold) splits matches
 * exactly, as with one index. That orders changes of different buckets to
 * within `bucket count` microseconds: far finer than shards' clocks agree.
 */
const compareAndSet = new LuaScript(`
local current = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
if current ~= tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[4])
local time = redis.call('TIME')
local top = redis.call('ZREVRANGE', KEYS[3], 0, 0, 'WITHSCORES')
local rank = math.max(time[1] * 1000000 + time[2], (tonumber(top[2]) or 0) + 1)
redis.call('ZADD', KEYS[3], rank + (tonumber(ARGV[5]) - rank) % tonumber(ARGV[6]), ARGV[1])
return 1
`);

/** Attempts before a publish gives up on a match under heavy contention. */
const MAX_ATTEMPTS = 50;

/**
 * With several buckets, how much earlier than a given rank `changedAfter`
 * looks (5 s, in microseconds): buckets on different shards are ranked by
 * different clocks, and are read one after another, so a change ranked
 * below the highest rank read may still be unseen. It covers clock skew
 * between shards plus the time a read of every bucket takes.
 */
export const RANK_SKEW = 5_000_000;

export interface RedisMatchStoreOptions {
  /**
   * Index shards: 1 on a single Redis, more on a Redis Cluster to spread the
   * writes over its shards. Every instance must use the same count: a
   * different one is a different key layout.
   */
  indexBuckets?: number;
  replicated?: Replicated;
}

/** The keys of one bucket: one hash tag, so one slot, for one script to update them together. */
interface Bucket {
  index: number;
  states: string;
  versions: string;
  recency: string;
  tag: string;
}

/** FNV-1a (32-bit) of the id's UTF-8 bytes: stable across instances and releases. */
function fnv1a(id: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(id)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash;
}

/** The bucket of a match among `indexBuckets`. */
export const bucketIndex = (id: MatchId, indexBuckets: number): number => fnv1a(id) % indexBuckets;

/** The hash tag of every key of a bucket. */
export const bucketTag = (index: number): string => hashTag(`m${index}`);

/**
 * Matches in Redis, split by id hash into buckets; each holds a hash of its
 * matches' states, one of their versions (for cheap sweeps) and a sorted set
 * of their ids by rank (its part of the recency index).
 *
 * A single recency index would be one key, on one shard of a Redis Cluster:
 * every publish of every match would write to it (a hot key), and the
 * compare-and-set could not update it with a state held in another slot.
 * Keeping each bucket's index with its states keeps the compare-and-set one
 * atomic script on one shard; ranks from Redis time keep the buckets'
 * indexes comparable, so reads of the whole index merge every bucket's.
 */
export class RedisMatchStore implements MatchStore {
  private readonly buckets: Bucket[];
  private readonly replicated: Replicated;
  private readonly queue = new KeyedQueue();

  constructor(
    private readonly client: RedisCommands,
    prefix: string,
    { indexBuckets = 1, replicated = primaryOnly }: RedisMatchStoreOptions = {},
  ) {
    if (!Number.isInteger(indexBuckets) || indexBuckets < 1) {
      throw new Error(`indexBuckets must be a positive integer, not ${indexBuckets}`);
    }
    this.buckets = Array.from({ length: indexBuckets }, (_, index) => {
      const tag = bucketTag(index);
      return {
        index,
        tag,
        states: `${prefix}matches:${tag}`,
        versions: `${prefix}match-versions:${tag}`,
        recency: `${prefix}match-recency:${tag}`,
      };
    });
    this.replicated = replicated;
  }

  async get(id: MatchId): Promise<Match | undefined> {
    const raw = await this.client.hGet(this.bucketOf(id).states, id);
    return raw ? (JSON.parse(raw) as Match) : undefined;
  }

  async getMany(ids: readonly MatchId[]): Promise<Match[]> {
    const raws = await this.fields("states", ids);
    return raws.flatMap((raw) => (raw ? [JSON.parse(raw) as Match] : []));
  }

  async list(): Promise<Match[]> {
    const raws = await Promise.all(this.buckets.map((bucket) => this.client.hVals(bucket.states)));
    return raws.flat().map((raw) => JSON.parse(raw) as Match);
  }

  async versions(ids: readonly MatchId[]): Promise<Map<MatchId, number>> {
    const raws = await this.fields("versions", ids, true);
    return new Map(
      ids.flatMap((id, i) => (raws[i] === undefined ? [] : [[id, Number(raws[i] ?? 0)]])),
    );
  }

  async recent(limit: number): Promise<RankedMatch[]> {
    const tops = await Promise.all(
      this.buckets.map((bucket) =>
        this.client.zRangeWithScores(bucket.recency, 0, limit - 1, { REV: true }),
      ),
    );
    const ranked = tops
      .flat()
      .sort((a, b) => b.score - a.score)
      .slice(0, limit);
    const raws = await this.fields(
      "states",
      ranked.map((entry) => entry.value),
    );
    return ranked.flatMap((entry, i) => {
      const raw = raws[i];
      return raw ? [{ match: JSON.parse(raw) as Match, rank: entry.score }] : [];
    });
  }

  /** With several buckets, also some of the ids changed up to {@link RANK_SKEW} before `rank`. */
  async changedAfter(rank: Rank): Promise<Array<{ id: MatchId; rank: Rank }>> {
    const from = this.buckets.length > 1 ? rank - RANK_SKEW : rank;
    const changed = await Promise.all(
      this.buckets.map((bucket) =>
        this.client.zRangeByScoreWithScores(bucket.recency, `(${from}`, "+inf"),
      ),
    );
    return changed
      .flat()
      .sort((a, b) => a.score - b.score)
      .map((entry) => ({ id: entry.value, rank: entry.score }));
  }

  /**
   * Publishes to one match from this instance apply in the order they were
   * made (a feed sending 1-0 then 2-0 ends at 2-0), and race only with other
   * instances' in the compare-and-set.
   */
  publish(update: MatchUpdate): Promise<PublishResult> {
    return this.queue.run([update.id], () => this.publishNow(update));
  }

  private async publishNow(update: MatchUpdate): Promise<PublishResult> {
    const bucket = this.bucketOf(update.id);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.get(update.id);
      const result = applyUpdate(current, update, new Date());
      if (!result.changed) return result;
      const written = await compareAndSet.run(
        this.client,
        [bucket.states, bucket.versions, bucket.recency],
        [
          update.id,
          current?.version ?? 0,
          JSON.stringify(result.match),
          result.match.version,
          bucket.index,
          this.buckets.length,
        ],
      );
      if (written === 1) {
        await this.replicated(bucket.states);
        return result;
      }
    }
    throw new Error(`match ${update.id}: too much contention to publish`);
  }

  slotTag(id: MatchId): string {
    return this.bucketOf(id).tag;
  }

  private bucketOf(id: MatchId): Bucket {
    return this.buckets[bucketIndex(id, this.buckets.length)];
  }

  /**
   * The field of each id, `null` where it has none. `partial`: a bucket whose
   * shard does not answer leaves its ids `undefined` instead of failing all.
   */
  private async fields(
    kind: "states" | "versions",
    ids: readonly MatchId[],
    partial = false,
  ): Promise<Array<string | null | undefined>> {
    const positions = new Map<Bucket, number[]>();
    ids.forEach((id, i) => {
      const bucket = this.bucketOf(id);
      const at = positions.get(bucket);
      if (at) at.push(i);
      else positions.set(bucket, [i]);
    });
    const values = new Array<string | null | undefined>(ids.length);
    const reads = [...positions].map(async ([bucket, at]) => {
      const raws = await this.client.hmGet(
        bucket[kind],
        at.map((i) => ids[i]),
      );
      at.forEach((position, j) => (values[position] = raws[j]));
    });
    if (partial) await Promise.allSettled(reads);
    else await Promise.all(reads);
    return values;
  }
}
