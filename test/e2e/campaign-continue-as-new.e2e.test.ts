import request from 'supertest';
import { campaignWorkflowId } from '../../src/workflows/campaign-send/definitions';
import { recordHistoryIfAsked } from '../support/histories';
import { activeTenant, platformHarness, startCampaignTo, type PlatformHarness, FAST_CAMPAIGNS } from '../support/platform';
import { eventually } from '../support/workflow-logic';

/**
 * A campaign longer than one workflow run: two batches per run (CAMPAIGN_BATCHES_PER_RUN), so
 * it continues as new carrying its progress and cursor; and a first batch whose attempt dies
 * on Twilio 5xx answers with its claims in `sending`, so the retry reconciles them before it
 * sends. With RECORD_HISTORIES=1 both runs of the chain are recorded for the replay test.
 */
describe('a campaign across runs and a reconciled relay attempt', () => {
  let p: PlatformHarness;
  beforeAll(async () => {
    p = await platformHarness({
      config: {
        ...FAST_CAMPAIGNS,
        CAMPAIGN_BATCH_SIZE: '2',
        CAMPAIGN_BATCHES_PER_RUN: '2',
        // Shorter than the first attempt's own retries on 500s would take unfenced (about 7 s):
        // those retries must stop at their claims' send window (src/domain/send-fence.ts), or
        // one sends again after the next attempt has reconciled the row and sent it.
        RELAY_HEARTBEAT_TIMEOUT_SECONDS: '3',
        STATUS_REFRESH_AFTER_SECONDS: '5',
      },
    });
  });
  afterAll(() => p.close());

  it('continues as new between batches, reconciles a dead attempt’s claims, and reaches each contact once', async () => {
    const t = await activeTenant(p, { mps: 50 });
    const phones = Array.from({ length: 5 }, (_, i) => `+1628555${String(3100 + i)}`);
    const { subaccount_sid: sub } = await p.api.db('tenant_credentials').where({ tenant_id: t.id }).first<{ subaccount_sid: string }>('subaccount_sid');
    // Every send of the first batch answers 500 (and creates nothing) until the first attempt has given up.
    await p.sandbox.control('/__sandbox/faults', { body: { rate500: 1, accountSid: sub, only: { method: 'POST', pathEndsWith: '/Messages.json' } } });
    let id: string;
    try {
      id = await startCampaignTo(p, t, phones);
      const handle = p.api.temporal.workflow.getHandle(campaignWorkflowId(id));
      await eventually(
        async () => (await handle.describe()).raw.pendingActivities?.some((a) => a.activityType?.name === 'relayBatch' && (a.attempt ?? 0) >= 2),
        90_000,
        250,
      );
    } finally {
      await p.sandbox.control('/__sandbox/faults', { method: 'DELETE' });
    }

    const done = await eventually(async () => {
      const res = await request(p.api.app).get(`/v1/campaigns/${id}`).set(t.auth).expect(200);
      return res.body.status === 'completed' ? (res.body as { progress: Record<string, number> }) : undefined;
    }, 120_000);
    expect(done.progress).toMatchObject({ sent: 5, failed: 0, batches: 3 });
    expect(done.progress.reconciled).toBeGreaterThan(0);
    const { entries } = (await p.sandbox.control(`/__sandbox/ledger?from=${encodeURIComponent(t.from)}`)).body as { entries: Array<{ to: string }> };
    expect(entries.map((e) => e.to).sort()).toEqual(phones);

    // The chain: the last run names the run it continued, which ended continuing as new.
    const workflowId = campaignWorkflowId(id);
    const last = await p.api.temporal.workflow.getHandle(workflowId).fetchHistory();
    const firstRunId = last.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId;
    expect(firstRunId).toBeTruthy();
    const first = await p.api.temporal.workflow.getHandle(workflowId, firstRunId!).fetchHistory();
    expect(first.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId).toBeFalsy();
    expect(first.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
    // The retried relay attempt is in the first run's history.
    expect(first.events?.some((e) => (e.activityTaskStartedEventAttributes?.attempt ?? 0) >= 2)).toBe(true);
    await recordHistoryIfAsked(p.api.temporal, workflowId, 'continued-as-new-first-run', firstRunId!);
    await recordHistoryIfAsked(p.api.temporal, workflowId, 'continued-as-new-last-run');
  }, 300_000);
});
