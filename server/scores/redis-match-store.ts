import type { Match, MatchId, MatchUpdate } from "../../contract/index.js";
import { KeyedQueue } from "../keyed-queue.js";
import { LuaScript } from "../redis/lua-script.js";
import type { RedisClient } from "../redis/types.js";
import { applyUpdate, type PublishResult } from "../../contract/apply-update.js";
import type { MatchStore, Rank, RankedMatch } from "./match-store.js";

/**
 * Compare-and-set: writes the next state only if the stored version is still
 * the one it was computed from. Versions therefore advance by exactly one per
 * write even when instances race; the loser recomputes from the new state.
 * The same script ranks the match above every other in the recency index, so
 * the index never lags or leads the states.
 */
const compareAndSet = new LuaScript(`
local current = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
if current ~= tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[4])
local top = redis.call('ZREVRANGE', KEYS[3], 0, 0, 'WITHSCORES')
redis.call('ZADD', KEYS[3], (tonumber(top[2]) or 0) + 1, ARGV[1])
return 1
`);

/** Attempts before a publish gives up on a match under heavy contention. */
const MAX_ATTEMPTS = 50;

/**
 * Matches in Redis: one hash of states, one of versions (for cheap sweeps)
 * and a sorted set of ids by rank (the recency index). Each is one key, so
 * on a Redis Cluster each would sit on one shard: the cluster mode shards
 * them by match.
 */
export class RedisMatchStore implements MatchStore {
  private readonly statesKey: string;
  private readonly versionsKey: string;
  private readonly recencyKey: string;
  private readonly queue = new KeyedQueue();

  constructor(
    private readonly client: RedisClient,
    prefix: string,
  ) {
    this.statesKey = `${prefix}matches`;
    this.versionsKey = `${prefix}match-versions`;
    this.recencyKey = `${prefix}match-recency`;
  }

  async get(id: MatchId): Promise<Match | undefined> {
    const raw = await this.client.hGet(this.statesKey, id);
    return raw ? (JSON.parse(raw) as Match) : undefined;
  }

  async getMany(ids: readonly MatchId[]): Promise<Match[]> {
    if (ids.length === 0) return [];
    const raws = await this.client.hmGet(this.statesKey, [...ids]);
    return raws.flatMap((raw) => (raw ? [JSON.parse(raw) as Match] : []));
  }

  async list(): Promise<Match[]> {
    const raws = await this.client.hVals(this.statesKey);
    return raws.map((raw) => JSON.parse(raw) as Match);
  }

  async versions(ids: readonly MatchId[]): Promise<Map<MatchId, number>> {
    if (ids.length === 0) return new Map();
    const raws = await this.client.hmGet(this.versionsKey, [...ids]);
    return new Map(ids.map((id, i) => [id, Number(raws[i] ?? 0)]));
  }

  async recent(limit: number): Promise<RankedMatch[]> {
    const ranked = await this.client.zRangeWithScores(this.recencyKey, 0, limit - 1, { REV: true });
    if (ranked.length === 0) return [];
    const raws = await this.client.hmGet(
      this.statesKey,
      ranked.map((entry) => entry.value),
    );
    return ranked.flatMap((entry, i) => {
      const raw = raws[i];
      return raw ? [{ match: JSON.parse(raw) as Match, rank: entry.score }] : [];
    });
  }

  async changedAfter(rank: Rank): Promise<Array<{ id: MatchId; rank: Rank }>> {
    const changed = await this.client.zRangeByScoreWithScores(this.recencyKey, `(${rank}`, "+inf");
    return changed.map((entry) => ({ id: entry.value, rank: entry.score }));
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
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.get(update.id);
      const result = applyUpdate(current, update, new Date());
      if (!result.changed) return result;
      const written = await compareAndSet.run(
        this.client,
        [this.statesKey, this.versionsKey, this.recencyKey],
        [update.id, current?.version ?? 0, JSON.stringify(result.match), result.match.version],
      );
      if (written === 1) return result;
    }
    throw new Error(`match ${update.id}: too much contention to publish`);
  }
}
