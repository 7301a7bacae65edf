import { MockActivityEnvironment } from '@temporalio/testing';
import pino from 'pino';
import request from 'supertest';
import { createCampaignSendActivities } from '../../src/activities/campaign-send';
import { createTwilioClientFactory } from '../../src/twilio/client-factory';
import { apiHarness } from '../support/api';
import { WEB_FORM_CONSENT } from '../support/consent';
import { testConfig } from '../support/test-env';
import { insertCampaignRow } from '../support/campaign-rows';

/**
 * A paged activity's retry can run beside the attempt it replaced: Temporal gives up on an
 * attempt whose heartbeat is late, but that attempt keeps writing until it notices. In a
 * million-recipient bench run prepareAudience's first attempt missed its first heartbeat and
 * both attempts paged the whole audience at once: 610,500 contacts were queued once and again
 * recorded as a `duplicate` of themselves.
 */
describe('audience preparation run twice at once (a retry beside its replaced attempt)', () => {
  const config = testConfig();
  let api: Awaited<ReturnType<typeof apiHarness>>;
  beforeAll(async () => {
    api = await apiHarness(config);
  });
  afterAll(() => api.close());

  const activities = () =>
    createCampaignSendActivities({ db: api.db, twilio: createTwilioClientFactory(config), config, clock: () => new Date(), log: pino({ level: 'silent' }) });

  async function campaignOfContacts(n: number) {
    const t = await api.activeTenant();
    for (let i = 0; i < n; i += 500) {
      const contacts = Array.from({ length: Math.min(500, n - i) }, (_, k) => ({
        phone: `+1628555${String(i + k).padStart(4, '0')}`,
        assignedUser: 'dana',
        consent: WEB_FORM_CONSENT,
      }));
      await request(api.app).post('/v1/contacts').set(t.auth).send({ contacts }).expect(201);
    }
    const id = await insertCampaignRow(api.db, t.id);
    return id;
  }

  it('queues every contact once and records none as a duplicate of itself', async () => {
    const campaignId = await campaignOfContacts(3_000);
    const [first, second] = await Promise.all([
      new MockActivityEnvironment().run(() => activities().prepareAudience(campaignId)),
      new MockActivityEnvironment().run(() => activities().prepareAudience(campaignId)),
    ]);
    const rows = await api
      .db('outbox')
      .where({ campaign_id: campaignId })
      .select<Array<{ contact_id: string; status: string; drop_reason: string | null }>>('contact_id', 'status', 'drop_reason');
    const perContact = new Map<string, number>();
    for (const r of rows) perContact.set(r.contact_id, (perContact.get(r.contact_id) ?? 0) + 1);
    expect({ rows: rows.length, contacts: perContact.size, duplicates: rows.filter((r) => r.drop_reason === 'duplicate').length }).toEqual({
      rows: 3_000,
      contacts: 3_000,
      duplicates: 0,
    });
    // Each attempt reports the campaign's tally, whichever finished last.
    expect(first).toEqual({ queued: 3_000, dropped: 0 });
    expect(second).toEqual({ queued: 3_000, dropped: 0 });
  }, 120_000);

  it('an attempt Temporal gave up on stops before its next page', async () => {
    const campaignId = await campaignOfContacts(600);
    const abandoned = new MockActivityEnvironment();
    abandoned.cancel('TIMED_OUT');
    await expect(abandoned.run(() => activities().prepareAudience(campaignId))).rejects.toThrow();
    expect(await api.db('outbox').where({ campaign_id: campaignId }).count<{ n: string }[]>({ n: '*' })).toEqual([{ n: '0' }]);
    await expect(abandoned.run(() => activities().lookupAudience({ campaignId, ttlMs: 60_000 }))).rejects.toThrow();
  }, 60_000);
});
