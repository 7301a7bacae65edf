import request from 'supertest';
import { activeTenant, platformHarness, startCampaignTo, type PlatformHarness, FAST_CAMPAIGNS } from '../support/platform';
import { perRecipient, tallyReconciliations, type LedgerRow } from '../support/reconciliations';
import { eventually } from '../support/workflow-logic';

/**
 * Twilio created the message but answered 500 / 503: the relay must find the message at
 * Twilio and record it as sent, never send it again. The sandbox does the work and then
 * answers with the error; it also fails some of the relay's look-ups (the list of messages),
 * and some sends before doing anything, so a look that fails and a send Twilio never took
 * are in the mix.
 */
describe('a send Twilio accepted and answered with a 5xx', () => {
  let p: PlatformHarness;
  beforeAll(async () => {
    p = await platformHarness({ config: { ...FAST_CAMPAIGNS, RELAY_HEARTBEAT_TIMEOUT_SECONDS: '5', STATUS_REFRESH_AFTER_SECONDS: '5' } });
  });
  afterAll(() => p.close());

  it('is recorded as sent from Twilio’s own record and reaches its recipient once', async () => {
    const RECIPIENTS = 60;
    const t = await activeTenant(p, { mps: 100 });
    const sub = (await p.api.db('tenant_credentials').where({ tenant_id: t.id }).first()).subaccount_sid as string;
    // Sends (POST) and the relay's look-ups (GET) of Messages.json, not the rest.
    await p.sandbox.control('/__sandbox/faults', {
      body: { rateAcceptThen500: 0.12, rateAcceptThen503: 0.08, rate500: 0.05, accountSid: sub, only: { pathEndsWith: '/Messages.json' } },
    });
    const phones = Array.from({ length: RECIPIENTS }, (_, i) => `+1415555${String(6000 + i)}`);
    let faults: { injected: Record<string, number>; acceptedThenFailed: Array<{ method: string; sid?: string }> };
    let id: string;
    try {
      id = await startCampaignTo(p, t, phones, 'Accepted then failed');
      const done = await eventually(async () => {
        const c = (await request(p.api.app).get(`/v1/campaigns/${id}`).set(t.auth).expect(200)).body;
        return c.status === 'completed' ? c : undefined;
      }, 120_000);
      expect(done.progress).toMatchObject({ sent: RECIPIENTS, failed: 0 });
      faults = (await p.sandbox.control('/__sandbox/faults')).body as typeof faults;
    } finally {
      await p.sandbox.control('/__sandbox/faults', { method: 'DELETE' });
    }

    const { entries } = (await p.sandbox.control(`/__sandbox/ledger?from=${encodeURIComponent(t.from)}`)).body as { entries: LedgerRow[] };
    const counts = perRecipient(entries);
    expect([...counts.entries()].filter(([, n]) => n > 1)).toEqual([]); // never sent twice
    expect([...counts.keys()].sort()).toEqual([...phones].sort()); // none lost

    // The path ran: Twilio created messages whose answer was an error.
    const acceptedSids = faults.acceptedThenFailed.filter((f) => f.method === 'POST').map((f) => f.sid!);
    expect(acceptedSids.length).toBeGreaterThan(0);
    // Each is recorded as sent with that very SID, found by asking Twilio.
    const sentSids = await p.api.db('outbox').where({ campaign_id: id, status: 'sent' }).pluck<string[]>('message_sid');
    expect(sentSids).toEqual(expect.arrayContaining(acceptedSids));
    const found = await p.api.db('outbox_reconciliations').where({ campaign_id: id, outcome: 'found' }).pluck<string[]>('message_sid');
    // Every one the sandbox failed after creating it was found. On a loaded machine a plain send can
    // also outlast the relay's client time-out, and the relay rightly finds that one too; what
    // matters is below: each answer agrees with Twilio's record, and nobody was texted twice.
    expect(found).toEqual(expect.arrayContaining(acceptedSids));
    // Every answer the relay recorded agrees with what Twilio had when it asked.
    const tally = await tallyReconciliations(p.api.db, id, entries);
    expect(tally.disagreements).toEqual([]);
    expect(tally.found).toBe(found.length);
    const progress = (await request(p.api.app).get(`/v1/campaigns/${id}`).set(t.auth).expect(200)).body.progress;
    expect(progress).toMatchObject({ reconciledFound: tally.found, reconciledNotFound: tally.notFound });
  }, 150_000);
});
