import { MockActivityEnvironment } from '@temporalio/testing';
import pino from 'pino';
import { createCampaignSendActivities } from '../../src/activities/campaign-send';
import { activeTenant, platformHarness, type PlatformHarness } from '../support/platform';
import { tallyReconciliations } from '../support/reconciliations';
import { until } from '../support/sandbox';

/**
 * The fence around a relay claim, on real PostgreSQL and the sandbox through the twilio
 * library. Another attempt reconciles a `sending` row once its claim is older than the lease;
 * the claiming attempt must by then have stopped starting sends (its send window ends a margin
 * before the lease), and whatever it learns later must not be written over a newer claim's row.
 * A "zombie" here is an attempt run in a MockActivityEnvironment that is never cancelled: an
 * attempt Temporal has timed out that never heard of it.
 */
describe('the relay fence', () => {
  let p: PlatformHarness;
  beforeAll(async () => {
    p = await platformHarness({ worker: false, config: { SENDING_WINDOW_START_HOUR: '0', SENDING_WINDOW_END_HOUR: '24' } });
  }, 60_000);
  afterAll(() => p?.close());
  afterEach(() => p.sandbox.control('/__sandbox/faults', { method: 'DELETE' }));

  const newCampaign = async (tenantId: string, phones: string[]) => {
    const db = p.api.db;
    const [{ id: campaignId }] = await db('campaigns')
      .insert({
        tenant_id: tenantId,
        name: 'c',
        body: 'Bright Smiles Dental: checkup due. Reply STOP to opt out.',
        message_type: 'transactional',
        batch_size: 10,
        scan: '{}',
        encoding: 'GSM-7',
        segments: 1,
      })
      .returning<{ id: string }[]>('id');
    const ids = (
      await db('outbox')
        .insert(phones.map((phone) => ({ campaign_id: campaignId, tenant_id: tenantId, phone_raw: phone, to_e164: phone, country: 'US', looked_up: true })))
        .returning<{ id: string }[]>('id')
    ).map((r) => r.id);
    return { campaignId, ids };
  };
  const acts = () =>
    createCampaignSendActivities({ db: p.api.db, twilio: p.sandbox.twilio, config: p.config, clock: () => new Date(), log: pino({ level: 'silent' }) });
  type Result = Awaited<ReturnType<ReturnType<typeof acts>['relayBatch']>>;
  const relay = (campaignId: string, claimLeaseMs: number) =>
    new MockActivityEnvironment().run<[], Result, () => Promise<Result>>(() =>
      acts().relayBatch({ campaignId, batchSize: 10, claimLeaseMs, sendByIso: new Date(Date.now() + 3_600_000).toISOString() }),
    );
  const ledger = async (from: string) =>
    (
      (await p.sandbox.control(`/__sandbox/ledger?from=${encodeURIComponent(from)}`)).body as {
        entries: Array<{ sid: string; to: string; acceptedAt: string }>;
      }
    ).entries;
  const subaccountOf = async (tenantId: string) =>
    (await p.api.db('tenant_credentials').where({ tenant_id: tenantId }).first<{ subaccount_sid: string }>()).subaccount_sid;
  const reconciliations = (campaignId: string) =>
    p.api.db('outbox_reconciliations').where({ campaign_id: campaignId }).orderBy('id').select('cause', 'outcome');

  it('a zombie retrying past its lease while the next attempt reconciles its row: the row is sent once', async () => {
    const db = p.api.db;
    const tenant = await activeTenant(p, { mps: 1000 });
    const phone = '+16285580001';
    const { campaignId, ids } = await newCampaign(tenant.id, [phone]);
    const sub = await subaccountOf(tenant.id);
    const LEASE_MS = 2_000;

    // Twilio answers every send 500 (creating nothing): the zombie retries with backoff.
    await p.sandbox.control('/__sandbox/faults', { body: { rate500: 1, accountSid: sub, only: { method: 'POST', pathEndsWith: '/Messages.json' } } });
    const zombie = relay(campaignId, LEASE_MS);
    zombie.catch(() => undefined);
    // The zombie's first claim's lease is over on the database's clock: another attempt may now reconcile the row.
    const claim = await until(() => db('outbox').where({ id: ids[0], status: 'sending', send_attempts: 1 }).first<{ claimed_at: Date }>('claimed_at'), 10_000);
    await until(
      async () =>
        (
          await db.raw<{ rows: Array<{ over: boolean }> }>(`SELECT ?::timestamptz + make_interval(secs => ?) < clock_timestamp() AS over`, [
            claim.claimed_at,
            LEASE_MS / 1000,
          ])
        ).rows[0].over,
      10_000,
    );
    // Sends go through again, but Twilio's list answers slowly: the reconciling attempt learns
    // "not found" seconds after Twilio looked, and an unfenced zombie, looking meanwhile, would
    // not see that attempt's message either and send its own.
    await p.sandbox.control('/__sandbox/faults', {
      body: { responseDelayMs: 3_000, accountSid: sub, only: { method: 'GET', pathEndsWith: '/Messages.json' } },
    });
    const retry = await relay(campaignId, LEASE_MS);
    // Whichever of the two wrote its "not found" first holds the row; the other stops there.
    await Promise.allSettled([zombie]);

    const sent = await ledger(tenant.from);
    expect(sent.map((e) => e.to)).toEqual([phone]);
    expect(retry).toMatchObject({ totalSent: 1, pending: 0 });
    expect(await db('outbox').where({ id: ids[0] }).first('status', 'message_sid')).toEqual({ status: 'sent', message_sid: sent[0].sid });
    // Every answer recorded agrees with what Twilio had when it was asked, and one of them is the reconciliation after the lease.
    const tally = await tallyReconciliations(db, campaignId, sent);
    expect(tally.disagreements).toEqual([]);
    expect(tally.notFound).toBeGreaterThan(0);
  }, 60_000);

  it('an answer that reaches a claim no longer holding its row is not written over the newer claim', async () => {
    const db = p.api.db;
    const tenant = await activeTenant(p, { mps: 1000 });
    const phone = '+16285580002';
    const { campaignId, ids } = await newCampaign(tenant.id, [phone]);
    const sub = await subaccountOf(tenant.id);

    // Twilio creates the zombie's message at once but its answer takes 3 s.
    await p.sandbox.control('/__sandbox/faults', {
      body: { responseDelayMs: 3_000, accountSid: sub, only: { method: 'POST', pathEndsWith: '/Messages.json' } },
    });
    const zombie = relay(campaignId, 60_000);
    await until(async () => (await ledger(tenant.from)).length === 1, 10_000);
    // Meanwhile another attempt has taken the row over with a claim of its own (what its
    // reconciliation and claim leave on the row, written here so the answer's timing is exact).
    await db.raw(`UPDATE outbox SET send_attempts = send_attempts + 1, claimed_at = clock_timestamp() WHERE id = ? AND status = 'sending'`, [ids[0]]);
    const zombieResult = await zombie;

    const sent = await ledger(tenant.from);
    expect(sent.map((e) => e.to)).toEqual([phone]);
    // Twilio's answer reached the zombie, but the row is the newer claim's: nothing written, no reconciliation recorded.
    expect(zombieResult.totalSent).toBe(0);
    expect(await db('outbox').where({ id: ids[0] }).first('status', 'message_sid', 'send_attempts')).toEqual({
      status: 'sending',
      message_sid: null,
      send_attempts: 2,
    });
    expect(await reconciliations(campaignId)).toEqual([]);

    // The newer claim's attempt is gone too; the next reconciles the row with what Twilio has.
    await p.sandbox.control('/__sandbox/faults', { method: 'DELETE' });
    const retry = await relay(campaignId, 500);
    expect(retry).toMatchObject({ reconciled: 1, sent: 0, totalSent: 1 });
    expect(await db('outbox').where({ id: ids[0] }).first('status', 'message_sid')).toEqual({ status: 'sent', message_sid: sent[0].sid });
    expect(await reconciliations(campaignId)).toEqual([{ cause: 'dead_attempt', outcome: 'found' }]);
    expect(await ledger(tenant.from)).toHaveLength(1);
  }, 60_000);

  it('waits for a sender booked ahead before claiming, so no claim runs out of its send window unsent', async () => {
    const db = p.api.db;
    const tenant = await activeTenant(p, { mps: 10 });
    const phones = Array.from({ length: 5 }, (_, i) => `+162855810${String(i).padStart(2, '0')}`);
    const { campaignId } = await newCampaign(tenant.id, phones);
    // Another campaign of this number has booked its slots 3 s ahead; a 4 s lease leaves 2 s to send in.
    await db.raw(
      `INSERT INTO sender_pacing (sender, next_slot_at) VALUES (?, clock_timestamp() + interval '3 seconds')
       ON CONFLICT (sender) DO UPDATE SET next_slot_at = EXCLUDED.next_slot_at`,
      [tenant.from],
    );
    const result = await relay(campaignId, 4_000);

    expect(result).toMatchObject({ sent: 5, pending: 0 });
    expect((await ledger(tenant.from)).map((e) => e.to).sort()).toEqual(phones);
    // Each row claimed once: none was claimed only to be given back.
    expect(await db('outbox').where({ campaign_id: campaignId }).pluck('send_attempts')).toEqual([1, 1, 1, 1, 1]);
  }, 60_000);
});
