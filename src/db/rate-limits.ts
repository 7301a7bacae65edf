import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { Db } from './knex';

/**
 * Fixed-window counters kept in PostgreSQL (`rate_limits`, made by a migration), so every API
 * process and worker counts against the same numbers. rate-limiter-flexible does the counting
 * in one atomic upsert per call; this only names the limits and reads its answers.
 */
export interface Limit {
  /** Spends one point for `key`: allowed, or refused with how long until the window frees one. */
  take(key: string): Promise<LimitAnswer>;
  /** Gives back a point taken for work that did not happen (a failed send, a sign-up undone). */
  giveBack(key: string): Promise<void>;
}

export type LimitAnswer = { allowed: true } | { allowed: false; retryAfterMs: number };

export function postgresLimit(db: Db, name: string, points: number, windowSeconds: number): Limit {
  const limiter = new RateLimiterPostgres({
    storeClient: db,
    storeType: 'knex',
    tableName: 'rate_limits',
    // The migration made the table; the library would otherwise CREATE it on first use.
    tableCreated: true,
    keyPrefix: name,
    points,
    duration: windowSeconds,
  });
  return {
    async take(key) {
      try {
        await limiter.consume(key);
        return { allowed: true };
      } catch (err) {
        // The library rejects with its answer when over the limit, and with an Error when the store fails.
        if (err instanceof RateLimiterRes) return { allowed: false, retryAfterMs: err.msBeforeNext };
        throw err;
      }
    },
    async giveBack(key) {
      await limiter.reward(key, 1);
    },
  };
}

/** Takes a point from every limit in turn; the first refusal gives back what was taken and says which refused. */
export async function takeAll(
  entries: ReadonlyArray<readonly [Limit, string]>,
): Promise<{ allowed: true } | { allowed: false; retryAfterMs: number; refusedBy: Limit }> {
  const taken: Array<readonly [Limit, string]> = [];
  for (const [limit, key] of entries) {
    const answer = await limit.take(key);
    if (!answer.allowed) {
      await giveBackAll(taken);
      return { ...answer, refusedBy: limit };
    }
    taken.push([limit, key]);
  }
  return { allowed: true };
}

export async function giveBackAll(entries: ReadonlyArray<readonly [Limit, string]>): Promise<void> {
  for (const [limit, key] of entries) await limit.giveBack(key);
}

/** Retry-After is whole seconds, at least one. */
export const retryAfterSeconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));
