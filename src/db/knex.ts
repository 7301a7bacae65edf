import knex, { type Knex } from 'knex';
import { countQueries } from './query-counter';

export type Db = Knex;

export interface DbOptions {
  min?: number;
  max?: number;
  /** How long a query waits for a connection before failing (knex's default is 60 s). */
  acquireTimeoutMs?: number;
}

/** Connections per pool unless a caller asks otherwise: the API's and each worker's pool. */
export const DEFAULT_POOL_MAX = 10;

export function createDb(databaseUrl: string, opts: DbOptions = {}): Db {
  const db = knex({
    client: 'pg',
    connection: databaseUrl,
    pool: { min: opts.min ?? 0, max: opts.max ?? DEFAULT_POOL_MAX },
    acquireConnectionTimeout: opts.acquireTimeoutMs ?? 10_000,
  });
  countQueries(db);
  return db;
}
