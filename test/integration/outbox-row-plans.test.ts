import type { Knex } from 'knex';
import type { Db } from '../../src/db/knex';
import { analyzeOutbox, PENDING_COUNTED_UP_TO, relayTally } from '../../src/db/outbox-tallies';
import { claimTimeLeft } from '../../src/db/outbox-claims';
import { senderDayUsage } from '../../src/db/sender-limits';
import { droppedByReason } from '../../src/api/campaign-report';
import { explainAnalyze, indexesUsed, ownMigratedDatabase, rowsVisited, type PlanNode } from '../support/query-plans';

/**
 * The relay finds a claimed row by id several times per message (the send window check, the
 * page's body and sent writes). The outbox is analysed while all its rows are pending; with
 * those statistics the planner once took the sender-day index (partial on sending/sent rows,
 * believed empty) for those statements and read every row sent so far per lookup, which made
 * a campaign quadratic. Each statement here must visit only the rows it is about, however many
 * were sent since the last ANALYZE. Its own database: the plan depends on the table's contents.
 */
describe('outbox statements by row id, with statistics from before the relay', () => {
  const database = ownMigratedDatabase('clearsend_plans');
  let db: Db;
  beforeAll(() => {
    db = database();
  });

  const outboxRowsVisited = (n: PlanNode): number => rowsVisited(n, 'outbox');

  /** The plan of the first statement `run` sends (EXPLAIN ANALYZE of the SQL it sent, its writes rolled back). */
  async function planOf(run: (trx: Knex.Transaction) => Promise<unknown>): Promise<PlanNode> {
    let sent: { sql: string; bindings: readonly unknown[] } | undefined;
    const capture = (q: { sql: string; bindings?: readonly unknown[] }) => {
      if (!/^(BEGIN|COMMIT|ROLLBACK)/i.test(q.sql)) sent ??= { sql: q.sql, bindings: q.bindings ?? [] };
    };
    db.on('query', capture);
    try {
      await db.transaction(async (trx) => {
        await run(trx);
        throw new Error('rolled back');
      });
    } catch (err) {
      if ((err as Error).message !== 'rolled back') throw err;
    } finally {
      db.removeListener('query', capture);
    }
    if (!sent) throw new Error('no statement was sent');
    return explainAnalyze(db, sent.sql, sent.bindings);
  }

  /**
   * A campaign of 8,000 rows as the relay leaves it 7,000 sends in: the outbox analysed while all
   * were pending (as prepareAudience leaves it), 7,000 sent since, the next page claimed.
   */
  async function campaignMostlySent(slug: string) {
    const [tenant] = await db('tenants').insert({ slug, business_name: slug }).returning<{ id: string }[]>('id');
    const [campaign] = await db('campaigns')
      .insert({ tenant_id: tenant.id, name: 'c', body: 'b', message_type: 'marketing', batch_size: 10, scan: '{}', encoding: 'GSM-7', segments: 1 })
      .returning<{ id: string }[]>('id');
    const rows = Array.from({ length: 8_000 }, (_, i) => {
      const phone = `+1628555${String(i).padStart(4, '0')}`;
      return { campaign_id: campaign.id, tenant_id: tenant.id, phone_raw: phone, to_e164: phone, country: 'US', looked_up: true };
    });
    for (let i = 0; i < rows.length; i += 2_000) await db('outbox').insert(rows.slice(i, i + 2_000));
    // As prepareAudience leaves it: every row pending, and the planner told so.
    await analyzeOutbox(db);
    // Then the relay: most rows sent, the next page claimed (autovacuum has not analysed again).
    await db.raw(
      `UPDATE outbox SET status = 'sent', from_number = '+14155550100', claimed_at = now(), send_attempts = 1, message_sid = 'SM' || lpad(id::text, 32, '0'), sent_at = now()
       WHERE campaign_id = ? AND id <= (SELECT min(id) + 7000 FROM outbox WHERE campaign_id = ?)`,
      [campaign.id, campaign.id],
    );
    const claimed = await db('outbox')
      .whereIn('id', db('outbox').where({ campaign_id: campaign.id, status: 'pending' }).orderBy('id').limit(50).select('id'))
      .update({ status: 'sending', from_number: '+14155550100', claimed_at: db.fn.now(), send_attempts: 1 })
      .returning<Array<{ id: string; to_e164: string; claimed_at: Date }>>(['id', 'to_e164', 'claimed_at']);
    return { campaignId: campaign.id, claimed };
  }

  it('the send window check reads its own row only, after thousands of rows were sent', async () => {
    const { claimed } = await campaignMostlySent('plans');
    const row = { ...claimed[0], claim: 1 };

    // (The page's writes join a list of ids: on a table this small a scan is the planner's fair choice.)
    expect(outboxRowsVisited(await planOf((trx) => claimTimeLeft(trx as unknown as Db, row, 30_000)))).toBeLessThanOrEqual(1);
    // The index is still there for what it is for: the sender's segments today.
    expect(indexesUsed(await planOf((trx) => senderDayUsage(trx as unknown as Db, '+14155550100')))).toEqual(['outbox_sender_day']);
  }, 60_000);

  it("the relay's tally after a batch reads at most a page of pending rows, not the campaign's outbox", async () => {
    const { campaignId, claimed } = await campaignMostlySent('tally');
    const tally = await relayTally(db, campaignId);
    // The totals come from the counters the outbox trigger kept while the rows were sent.
    expect(tally).toMatchObject({ pending: 8_000 - 7_001 - claimed.length, sent: 7_001, failed: 0, reconciled: 0, next: null, found: 0, notFound: 0 });
    expect(outboxRowsVisited(await planOf((trx) => relayTally(trx as unknown as Db, campaignId)))).toBeLessThanOrEqual(PENDING_COUNTED_UP_TO);
  }, 60_000);

  it("a campaign's drops by reason (read with every GET of the campaign) count the dropped rows alone, from their index", async () => {
    const { campaignId } = await campaignMostlySent('drops');
    await db.raw(
      `UPDATE outbox SET status = 'dropped', drop_reason = CASE WHEN id % 2 = 0 THEN 'landline' ELSE 'suppressed' END
       WHERE campaign_id = ? AND id > (SELECT max(id) - 300 FROM outbox WHERE campaign_id = ?)`,
      [campaignId, campaignId],
    );
    await db.raw('VACUUM ANALYZE outbox');
    expect(await droppedByReason(db, campaignId)).toEqual({ landline: 150, suppressed: 150 });
    const plan = await planOf((trx) => droppedByReason(trx, campaignId));
    expect(indexesUsed(plan)).toEqual(['outbox_campaign_dropped']);
    expect(outboxRowsVisited(plan)).toBe(300);
  }, 60_000);
});
