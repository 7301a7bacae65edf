import { MockActivityEnvironment } from '@temporalio/testing';
import pino from 'pino';
import { createCampaignSendActivities } from '../../src/activities/campaign-send';
import { activeTenant, platformHarness, type PlatformHarness } from '../support/platform';
import { dataKeysFor } from '../../src/crypto/data-keys';
import { until } from '../support/sandbox';

/**
 * Lookup and the relay page the outbox by id from a cursor (re-reading the campaign's finished
 * rows for every page made a million-recipient campaign quadratic). A cursor must never cost a
 * row: Lookup resumes from its last heartbeat; the relay finds rows left behind its cursor.
 */
describe('outbox cursors', () => {
  let p: PlatformHarness;
  beforeAll(async () => {
    p = await platformHarness({ worker: false, config: { SENDING_WINDOW_START_HOUR: '0', SENDING_WINDOW_END_HOUR: '24' } });
  }, 60_000);
  afterAll(() => p?.close());

  const newCampaign = async (tenantId: string, phones: string[], body = 'Bright Smiles Dental: checkup due. Reply STOP to opt out.') => {
    const db = p.api.db;
    const [{ id: campaignId }] = await db('campaigns')
      .insert({ tenant_id: tenantId, name: 'c', body, message_type: 'marketing', batch_size: 10, scan: '{}', encoding: 'GSM-7', segments: 1 })
      .returning<{ id: string }[]>('id');
    const ids = (
      await db('outbox')
        .insert(phones.map((phone) => ({ campaign_id: campaignId, tenant_id: tenantId, phone_raw: phone, to_e164: phone, country: 'US' })))
        .returning<{ id: string }[]>('id')
    )
      .map((r) => r.id)
      .sort((a, b) => Number(a) - Number(b));
    return { campaignId, ids };
  };
  const activities = () =>
    createCampaignSendActivities({ db: p.api.db, twilio: p.sandbox.twilio, config: p.config, clock: () => new Date(), log: pino({ level: 'silent' }) });

  const lookedUpNumbers = async () =>
    ((await p.sandbox.control('/__sandbox/lookups')).body as { lookups: Array<{ phoneNumber: string }> }).lookups.map((l) => l.phoneNumber);

  it('Lookup: a retry looks up only the rows after its heartbeat cursor, once each, and decides every row', async () => {
    const db = p.api.db;
    const tenant = await activeTenant(p);
    const phones = Array.from({ length: 1_200 }, (_, i) => `+1628555${String(i).padStart(4, '0')}`);
    const { campaignId, ids } = await newCampaign(tenant.id, phones);
    // A dead attempt committed the first two pages (1,000 rows) but its last heartbeat to reach
    // the server named the end of the first page.
    await db('outbox').whereIn('id', ids.slice(0, 1_000)).update({ looked_up: true });
    const before = (await lookedUpNumbers()).length;

    const acts = activities();
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

  it('relay: claims continue after the previous batch, and rows behind the cursor still go before the batch ends', async () => {
    const db = p.api.db;
    const tenant = await activeTenant(p, { mps: 1000 });
    const phones = Array.from({ length: 30 }, (_, i) => `+1628556${String(i).padStart(4, '0')}`);
    const { campaignId, ids } = await newCampaign(tenant.id, phones);
    await db('outbox').where({ campaign_id: campaignId }).update({ looked_up: true });
    const acts = activities();
    type Result = Awaited<ReturnType<typeof acts.relayBatch>>;
    const relay = (batchSize: number, afterId?: string) =>
      new MockActivityEnvironment().run<[], Result, () => Promise<Result>>(() =>
        acts.relayBatch({ campaignId, batchSize, claimLeaseMs: 60_000, sendByIso: new Date(Date.now() + 3_600_000).toISOString(), afterId }),
      );
    const sentTo = async () =>
      ((await p.sandbox.control(`/__sandbox/ledger?from=${encodeURIComponent(tenant.from)}`)).body as { entries: Array<{ to: string }> }).entries.map(
        (e) => e.to,
      );

    const pendingCount = async () =>
      Number((await db('outbox').where({ campaign_id: campaignId, status: 'pending' }).count<{ count: string }[]>('* as count'))[0].count);

    // ids[3] waits for its recipient's quiet hours to end: the first batch passes it and
    // takes the next lowest ids.
    await db('outbox')
      .where({ id: ids[3] })
      .update({ not_before: new Date(Date.now() + 3_600_000) });
    const first = await relay(10);
    expect(first.sent).toBe(10);
    expect(first.deferred).toBe(0);
    expect(first.lastClaimedId).toBe(ids[10]);
    // Its quiet hours are over: it is due, and behind every cursor.
    await db('outbox')
      .where({ id: ids[3] })
      .update({ not_before: new Date(Date.now() - 1000) });

    // A batch starts after the cursor it is given, not at the campaign's lowest pending row.
    const second = await relay(5, ids[20]);
    expect(second.lastClaimedId).toBe(ids[25]);
    expect((await sentTo()).sort()).toEqual([...phones.slice(0, 3), ...phones.slice(4, 11), ...phones.slice(21, 26)].sort());

    // Past the campaign's last row, the batch goes back once for what its cursor passed.
    const third = await relay(100, second.lastClaimedId);
    expect(third.sent).toBe(15);
    expect(third.pending).toBe(0);
    expect(await pendingCount()).toBe(0);
    const sent = await sentTo();
    expect(sent.sort()).toEqual([...phones].sort()); // every row once, none twice

    // Nothing left: a further batch from anywhere sends nothing.
    expect((await relay(100, third.lastClaimedId)).sent).toBe(0);
    expect((await relay(100)).sent).toBe(0);
    expect(await sentTo()).toHaveLength(30);
  }, 60_000);

  it('relay: a retry finds the messages a dead attempt created by the body written on each row, opt-out footer included', async () => {
    const db = p.api.db;
    const tenant = await activeTenant(p, { mps: 1000 });
    const [fresh, told] = ['+16285570001', '+16285570002'];
    // `told` heard how to opt out an hour ago (a marketing campaign's interval is 30 days): no footer.
    await db('opt_out_notices').insert({ tenant_id: tenant.id, phone_e164: told, last_sent_at: new Date(Date.now() - 3_600_000) });
    const { campaignId } = await newCampaign(tenant.id, [fresh, told], 'Bright Smiles Dental: summer checkups are open.');
    await db('outbox').where({ campaign_id: campaignId }).update({ looked_up: true });
    const acts = activities();
    type Result = Awaited<ReturnType<typeof acts.relayBatch>>;
    const relay = (claimLeaseMs: number) =>
      new MockActivityEnvironment().run<[], Result, () => Promise<Result>>(() =>
        acts.relayBatch({ campaignId, batchSize: 10, claimLeaseMs, sendByIso: new Date(Date.now() + 3_600_000).toISOString() }),
      );
    const ledger = async () =>
      (
        (await p.sandbox.control(`/__sandbox/ledger?from=${encodeURIComponent(tenant.from)}`)).body as {
          entries: Array<{ sid: string; to: string; body: string }>;
        }
      ).entries;

    // The first attempt's sends reach Twilio, but its answers are held back: it is as good as
    // dead, its rows left in `sending` with no SID.
    const sub = (await db('tenant_credentials').where({ tenant_id: tenant.id }).first<{ subaccount_sid: string }>()).subaccount_sid;
    await p.sandbox.control('/__sandbox/faults', {
      body: { responseDelayMs: 8_000, accountSid: sub, only: { method: 'POST', pathEndsWith: '/Messages.json' } },
    });
    let zombie: Promise<Result> | undefined;
    try {
      zombie = relay(60_000);
      await until(async () => (await ledger()).length === 2, 10_000);
      expect(await db('outbox').where({ campaign_id: campaignId, status: 'sending' }).whereNull('message_sid').count<{ n: string }[]>('* as n')).toEqual([
        { n: '2' },
      ]);

      // The retry, once the claims are older than its lease, asks Twilio for each row's own body.
      const retry = await relay(500);
      expect(retry).toMatchObject({ reconciled: 2, sent: 0, pending: 0, totalSent: 2 });
    } finally {
      await p.sandbox.control('/__sandbox/faults', { method: 'DELETE' });
      await zombie;
    }
    const sent = await ledger();
    expect(sent.map((e) => [e.to, e.body]).sort()).toEqual([
      [fresh, 'Bright Smiles Dental: summer checkups are open.\nReply STOP to opt out.'],
      [told, 'Bright Smiles Dental: summer checkups are open.'],
    ]);
    const rows = await db('outbox')
      .where({ campaign_id: campaignId })
      .orderBy('to_e164')
      .select('to_e164', 'status', 'message_sid', 'reconciled', 'body', 'segments', 'opt_out_notice');
    // Bodies are stored encrypted with the tenant's data key: none reads as the text sent.
    for (const row of rows) expect(row.body).toMatch(/^cs1:\d+:/);
    await dataKeysFor(db, p.config).openRows(rows, () => tenant.id, { body: 'outbox.body' });
    expect(rows).toEqual([
      {
        to_e164: fresh,
        status: 'sent',
        message_sid: sent.find((e) => e.to === fresh)!.sid,
        reconciled: true,
        body: sent.find((e) => e.to === fresh)!.body,
        segments: 1,
        opt_out_notice: true,
      },
      {
        to_e164: told,
        status: 'sent',
        message_sid: sent.find((e) => e.to === told)!.sid,
        reconciled: true,
        body: sent.find((e) => e.to === told)!.body,
        segments: 1,
        opt_out_notice: false,
      },
    ]);
    // The reconciled footer counts as telling `fresh`; `told` was told nothing new.
    const notices = await db('opt_out_notices')
      .where({ tenant_id: tenant.id })
      .orderBy('phone_e164')
      .select<Array<{ phone_e164: string; last_sent_at: Date }>>('phone_e164', 'last_sent_at');
    expect(notices.map((n) => n.phone_e164)).toEqual([fresh, told]);
    expect(notices[1].last_sent_at.getTime()).toBeLessThan(Date.now() - 3_000_000);
  }, 60_000);

  it('relay: a row a dead attempt claimed but never wrote a body for goes back and is sent once, shaped', async () => {
    const db = p.api.db;
    const tenant = await activeTenant(p, { mps: 1000 });
    const phone = '+16285570003';
    const { campaignId, ids } = await newCampaign(tenant.id, [phone], 'Summer checkups are open.');
    // Died between the claim and writing the page's bodies: nothing reached Twilio.
    await db('outbox')
      .where({ id: ids[0] })
      .update({ looked_up: true, status: 'sending', claimed_at: new Date(Date.now() - 10_000), from_number: tenant.from });
    const acts = activities();
    type Result = Awaited<ReturnType<typeof acts.relayBatch>>;
    const result = await new MockActivityEnvironment().run<[], Result, () => Promise<Result>>(() =>
      acts.relayBatch({ campaignId, batchSize: 10, claimLeaseMs: 1_000, sendByIso: new Date(Date.now() + 3_600_000).toISOString() }),
    );
    expect(result).toMatchObject({ reconciled: 1, sent: 1, totalSent: 1 });
    const sent = (
      (await p.sandbox.control(`/__sandbox/ledger?from=${encodeURIComponent(tenant.from)}`)).body as { entries: Array<{ to: string; body: string }> }
    ).entries;
    expect(sent.map((e) => [e.to, e.body])).toEqual([[phone, 'Bright Smiles Dental: Summer checkups are open.\nReply STOP to opt out.']]);
  }, 60_000);
});
