import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import pino from 'pino';
import { createDataProtectionActivities, type RedactionPage } from '../../src/activities/data-protection';
import { queueRedactions } from '../../src/db/retention';
import { credentialsOfTenant } from '../../src/db/tenant-credentials';
import { handsetSays } from '../support/handset';
import { activeTenant, platformHarness, type PlatformHarness } from '../support/platform';

/**
 * A redaction page run by two attempts at once: Temporal tried the page again after a heartbeat
 * timeout while the first attempt, alive but unheard (a stalled or cut-off worker), kept going.
 * Both redact the same messages at Twilio (harmless: an empty Body twice), but the pass's report
 * and the pages' answers must count each message once: a row counts only when this attempt is
 * the one that marked it redacted.
 */
describe('redaction pages run twice at once', () => {
  let p: PlatformHarness;
  beforeAll(async () => {
    p = await platformHarness({ worker: false });
  }, 60_000);
  afterAll(() => p?.close());
  afterEach(() => p.sandbox.control('/__sandbox/faults', { method: 'DELETE' }));

  it('count each message once in the report, however many attempts redacted it', async () => {
    const db = p.api.db;
    const t = await activeTenant(p);
    const sids: string[] = [];
    for (let i = 0; i < 6; i++) sids.push((await handsetSays(p, { from: `+1628555${String(1000 + i)}`, to: t.from, body: 'See you Tuesday' })).messageSid);
    await queueRedactions(db, t.id, sids, 'retention');
    const runId = randomUUID();
    const acts = createDataProtectionActivities({ db, twilio: p.sandbox.twilio, config: p.config, clock: () => new Date(), log: pino({ level: 'silent' }) });
    await acts.openRetentionRun({ runId, tenantId: t.id, retentionDays: 7, cutoff: new Date().toISOString() });

    // Each redaction takes a while at Twilio: both attempts pick the same queued rows before either marks one.
    const { subaccountSid } = (await credentialsOfTenant(db, t.id))!;
    await p.sandbox.control('/__sandbox/faults', { body: { latencyMs: 50, only: { method: 'POST' }, accountSid: subaccountSid } });
    const attempt = () =>
      new MockActivityEnvironment().run<[], RedactionPage, () => Promise<RedactionPage>>(() =>
        acts.redactQueuedPage({ tenantId: t.id, afterId: '0', limit: 10, report: { kind: 'retention', runId } }),
      );
    const pages = await Promise.all([attempt(), attempt()]);

    // At Twilio: every message redacted (some twice, which changes nothing).
    for (const sid of sids) expect(p.sandbox.sandbox.store.messages.get(sid)?.body).toBe('');
    expect(p.sandbox.sandbox.store.redactions.filter((r) => sids.includes(r.sid)).length).toBeGreaterThan(sids.length);
    // Here: each counted once, in the report and across the pages' answers.
    expect(pages.reduce((n, page) => n + page.redacted, 0)).toBe(sids.length);
    expect(await db('retention_runs').where({ run_id: runId, tenant_id: t.id }).first('twilio_redacted', 'twilio_failures')).toEqual({
      twilio_redacted: sids.length,
      twilio_failures: 0,
    });
    expect(await db('twilio_redactions').whereIn('message_sid', sids).pluck<number[]>('attempts')).toEqual(sids.map(() => 1));
    expect(await acts.closeRetentionRun({ runId, tenantId: t.id })).toEqual({
      outboundPurged: 0,
      inboundPurged: 0,
      campaignsPurged: 0,
      twilioFound: 0,
      twilioRedacted: sids.length,
      twilioFailures: 0,
    });
  }, 60_000);
});
