import type { Knex } from 'knex';
import type { Db } from '../../src/db/knex';
import { analyzeContacts, contactsAfter } from '../../src/db/outbox-audience';
import { explainAnalyze, ownMigratedDatabase, rowsVisited } from '../support/query-plans';

/**
 * Audience preparation pages a tenant's contacts by id. Right after a bulk upload the planner
 * has no statistics for them and read every contact after the cursor for each page (quadratic
 * in the audience); prepareAudience analyses contacts first. Its own database: the plan depends
 * on the table's statistics.
 */
describe('audience paging after a bulk upload', () => {
  const database = ownMigratedDatabase('clearsend_paging');
  let db: Db;
  beforeAll(() => {
    db = database();
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
      return rowsVisited(await explainAnalyze(db, sql, bindings), 'contacts');
    };
    // Without the ANALYZE (no statistics yet, as right after an upload) this page read the 9,999 contacts after the cursor.
    await analyzeContacts(db);
    expect(await visited()).toBe(500);
  }, 60_000);
});
