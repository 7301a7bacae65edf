import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { createDb, type Db } from '../../src/db/knex';
import { dropDatabase } from '../../src/db/ensure-database';
import { migrateToLatest } from '../../src/db/migrate';
import { analyzeContacts, contactsAfter } from '../../src/db/outbox-audience';
import { testServices } from '../support/test-env';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}
/** Contacts rows the plan's scans visited: those they returned and those their filters removed. */
const contactRowsVisited = (n: PlanNode): number =>
  (n['Relation Name'] === 'contacts' && n['Node Type'].includes('Scan') ? (n['Actual Rows'] + (n['Rows Removed by Filter'] ?? 0)) * n['Actual Loops'] : 0) +
  (n.Plans ?? []).reduce((sum, child) => sum + contactRowsVisited(child), 0);

/**
 * Audience preparation pages a tenant's contacts by id. Right after a bulk upload the planner
 * has no statistics for them and read every contact after the cursor for each page (quadratic
 * in the audience); prepareAudience analyses contacts first. Its own database: the plan depends
 * on the table's statistics.
 */
describe('audience paging after a bulk upload', () => {
  const url = testServices().databaseUrl.replace(/\/[^/]+$/, `/clearsend_paging_${randomBytes(4).toString('hex')}`);
  let db: Db;
  beforeAll(async () => {
    await migrateToLatest(url);
    db = createDb(url, { max: 2 });
  }, 60_000);
  afterAll(async () => {
    await db?.destroy();
    await dropDatabase(url);
  });

  it('reads one page of contacts per page once contacts are analysed', async () => {
    const tenants: string[] = [];
    for (const slug of ['paging-a', 'paging-b']) {
      const [t] = await db('tenants').insert({ slug, business_name: slug }).returning<{ id: string }[]>('id');
      tenants.push(t.id);
      for (let i = 0; i < 20_000; i += 5_000)
        await db('contacts').insert(
          Array.from({ length: 5_000 }, (_, j) => ({
            tenant_id: t.id,
            phone: `+1628${slug.endsWith('a') ? 2 : 3}${String(i + j).padStart(6, '0')}`,
            assigned_user: 'x',
          })),
        );
    }
    const tenantId = tenants[1];
    const halfway = (await db('contacts').where({ tenant_id: tenantId }).orderBy('id').offset(10_000).first<{ id: string }>('id')).id;
    const visited = async () => {
      const { sql, bindings } = (contactsAfter(db, { tenantId, audienceTag: null, afterId: halfway, limit: 500 }) as unknown as Knex.QueryBuilder) // a query builder, typed as what it resolves to
        .toSQL()
        .toNative();
      const { rows } = await db.raw<{ rows: Array<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }> }>(
        `EXPLAIN (ANALYZE, FORMAT JSON) ${sql.replace(/\$\d+/g, '?')}`,
        bindings as string[],
      );
      return contactRowsVisited(rows[0]['QUERY PLAN'][0].Plan);
    };
    // Without the ANALYZE (no statistics yet, as right after an upload) this page read the 9,999 contacts after the cursor.
    await analyzeContacts(db);
    expect(await visited()).toBe(500);
  }, 60_000);
});
