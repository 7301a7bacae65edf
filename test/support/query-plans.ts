import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { createDb, type Db } from '../../src/db/knex';
import { dropDatabase } from '../../src/db/ensure-database';
import { migrateToLatest } from '../../src/db/migrate';
import { testServices } from './test-env';

/** A node of PostgreSQL's `EXPLAIN (ANALYZE, FORMAT JSON)` plan, as far as the plan tests read it. */
export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}

/** Rows of `relation` the plan's scans visited: those they returned and those their filters removed. */
export const rowsVisited = (n: PlanNode, relation: string): number =>
  (n['Relation Name'] === relation && n['Node Type'].includes('Scan') ? (n['Actual Rows'] + (n['Rows Removed by Filter'] ?? 0)) * n['Actual Loops'] : 0) +
  (n.Plans ?? []).reduce((sum, child) => sum + rowsVisited(child, relation), 0);

export const indexesUsed = (n: PlanNode): string[] => [...(n['Index Name'] ? [n['Index Name']] : []), ...(n.Plans ?? []).flatMap(indexesUsed)];

/** EXPLAIN ANALYZE of a statement as knex sent it (pg's `$n` placeholders), its writes rolled back. */
export async function explainAnalyze(db: Db, sql: string, bindings: readonly unknown[]): Promise<PlanNode> {
  let plan: PlanNode | undefined;
  await db
    .transaction(async (trx) => {
      const { rows } = await trx.raw<{ rows: Array<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }> }>(
        // raw takes knex's placeholders
        `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql.replace(/\$\d+/g, '?')}`,
        bindings as Knex.RawBinding[],
      );
      plan = rows[0]['QUERY PLAN'][0].Plan;
      throw new Error('rolled back');
    })
    .catch((err: Error) => {
      if (err.message !== 'rolled back') throw err;
    });
  if (!plan) throw new Error('no plan');
  return plan;
}

/**
 * A migrated database of the file's own, dropped after it: a plan depends on the table's
 * contents and statistics, which other files' rows would change. Call at describe level.
 */
export function ownMigratedDatabase(prefix: string): () => Db {
  const url = testServices().databaseUrl.replace(/\/[^/]+$/, `/${prefix}_${randomBytes(4).toString('hex')}`);
  let db: Db | undefined;
  beforeAll(async () => {
    await migrateToLatest(url);
    db = createDb(url, { max: 2 });
  }, 60_000);
  afterAll(async () => {
    await db?.destroy();
    await dropDatabase(url);
  });
  return () => {
    if (!db) throw new Error('the database is made in beforeAll');
    return db;
  };
}
