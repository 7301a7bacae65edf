import { MockActivityEnvironment } from '@temporalio/testing';
import pino from 'pino';
import { createCampaignSendActivities } from '../../src/activities/campaign-send';
import { activeTenant, platformHarness, type PlatformHarness } from '../support/platform';

/**
 * Lookup pages the outbox by id from the cursor its last heartbeat recorded. A retry after a
 * crash resumes there: rows a dead attempt already decided are not looked up again, and every
 * row after the cursor gets its verdict.
 */
describe('lookupAudience resumes from its heartbeat cursor', () => {
  let p: PlatformHarness;
  beforeAll(async () => {
    p = await platformHarness({ worker: false });
  }, 60_000);
  afterAll(() => p?.close());

  const lookedUpNumbers = async () => ((await p.sandbox.control('/__sandbox/lookups')).body as { lookups: Array<{ phoneNumber: string }> }).lookups.map((l) => l.phoneNumber);

  it('looks up only the rows after the cursor, once each, and decides every row', async () => {
    const db = p.api.db;
    const tenant = await activeTenant(p);
    const [{ id: campaignId }] = await db('campaigns').insert({ tenant_id: tenant.id, name: 'c', body: 'b', batch_size: 10, scan: '{}', encoding: 'GSM-7', segments: 1 }).returning<{ id: string }[]>('id');
    const phones = Array.from({ length: 1_200 }, (_, i) => `+1628555${String(i).padStart(4, '0')}`);
    const ids = (
      await db('outbox')
        .insert(phones.map((phone) => ({ campaign_id: campaignId, tenant_id: tenant.id, phone_raw: phone, to_e164: phone, country: 'US' })))
        .returning<{ id: string }[]>('id')
    )
      .map((r) => r.id)
      .sort((a, b) => Number(a) - Number(b));
    // A dead attempt committed the first two pages (1,000 rows) but its last heartbeat to reach
    // the server named the end of the first page.
    await db('outbox').whereIn('id', ids.slice(0, 1_000)).update({ looked_up: true });
    const before = (await lookedUpNumbers()).length;

    const acts = createCampaignSendActivities({ db, twilio: p.sandbox.twilio, config: p.config, clock: () => new Date(), log: pino({ level: 'silent' }) });
    const heartbeats: Array<{ afterId?: string }> = [];
    const env = new MockActivityEnvironment({ heartbeatDetails: { afterId: ids[499] } });
    env.on('heartbeat', (d: { afterId?: string }) => heartbeats.push(d));
    type Totals = Awaited<ReturnType<typeof acts.lookupAudience>>;
    const lookUp = (e: MockActivityEnvironment) => e.run<[], Totals, () => Promise<Totals>>(() => acts.lookupAudience({ campaignId, ttlMs: 3_600_000 }));
    const totals = await lookUp(env);

    const asked = (await lookedUpNumbers()).slice(before);
    expect(asked.sort()).toEqual(phones.slice(1_000).sort());
    expect(totals.lookedUp).toBe(200);
    const undecided = await db('outbox').where({ campaign_id: campaignId, looked_up: false }).count<{ count: string }[]>('* as count');
    expect(Number(undecided[0].count)).toBe(0);
    // Landlines and invalid numbers among the 200 are dropped with the reason; the rest stay queued.
    const dropped = await db('outbox').whereIn('id', ids.slice(1_000)).whereNotNull('drop_reason').pluck<string[]>('drop_reason');
    expect(dropped.every((r) => r === 'landline' || r === 'invalid')).toBe(true);
    expect(totals.dropped).toBe(dropped.length);
    expect(heartbeats.at(-1)?.afterId).toBe(ids[1_199]);

    // A further retry from the last cursor finds nothing to do and asks Twilio nothing.
    const again = await lookUp(new MockActivityEnvironment({ heartbeatDetails: heartbeats.at(-1) }));
    expect(again).toEqual({ lookedUp: 0, fromCache: 0, dropped: 0 });
    expect((await lookedUpNumbers()).length).toBe(before + 200);
  }, 60_000);
});
