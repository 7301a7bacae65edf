import { randomBytes } from 'node:crypto';
import { createDb } from '../../src/db/knex';
import { recordDeliveryStatus } from '../../src/db/delivery-statuses';
import { outstandingMessageSids } from '../../src/db/outbox-tallies';
import { testServices } from '../support/test-env';

describe('outstandingMessageSids (the status wait asks Twilio only about these)', () => {
  it('picks sent messages without a final status, past the first page of final ones', async () => {
    const db = createDb(testServices().databaseUrl);
    try {
      const [{ id: tenantId }] = await db('tenants')
        .insert({ slug: `os-${randomBytes(4).toString('hex')}`, business_name: 'Waiting Co' })
        .returning<{ id: string }[]>('id');
      const [{ id: campaignId }] = await db('campaigns')
        .insert({ tenant_id: tenantId, name: 'c', body: 'b', message_type: 'marketing', batch_size: 10, scan: '{}', encoding: 'GSM-7', segments: 1 })
        .returning<{ id: string }[]>('id');
      const sids = Array.from({ length: 60 }, () => `SM${randomBytes(16).toString('hex')}`);
      await db('outbox').insert(
        sids.map((sid, i) => ({
          campaign_id: campaignId,
          tenant_id: tenantId,
          phone_raw: `+1415555${String(i).padStart(4, '0')}`,
          to_e164: `+1415555${String(i).padStart(4, '0')}`,
          status: 'sent',
          message_sid: sid,
          sent_at: new Date(Date.now() - 60_000),
        })),
      );
      // The first 50 are final (one of them read); of the last 10, five are only "sent", five never reported.
      for (const [i, sid] of sids.entries()) {
        if (i < 50) await recordDeliveryStatus(db, { messageSid: sid, tenantId, status: i === 0 ? 'read' : 'delivered' });
        else if (i < 55) await recordDeliveryStatus(db, { messageSid: sid, tenantId, status: 'sent' });
      }
      const outstanding = await outstandingMessageSids(db, { campaignId, sentBefore: new Date(), limit: 20 });
      expect(outstanding.sort()).toEqual(sids.slice(50).sort());
      expect(await outstandingMessageSids(db, { campaignId, sentBefore: new Date(Date.now() - 120_000), limit: 20 })).toEqual([]);
    } finally {
      await db.destroy();
    }
  });
});
