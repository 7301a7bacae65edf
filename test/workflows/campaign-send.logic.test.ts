import { randomUUID } from 'node:crypto';
import type { CampaignSendActivities, RelayBatchResult } from '../../src/activities/campaign-send';
import { campaignSend } from '../../src/workflows';
import { campaignProgressQuery, cancelCampaignSignal, startCampaignOptions, type CampaignTimings } from '../../src/workflows/campaign-send/definitions';
import { eventually, workflowLogicHarness } from '../support/workflow-logic';

/** Workflow logic only: scripted activities, the real dev server and bundle. */
const timings: CampaignTimings = {
  cadenceMs: 300,
  batchSize: 10,
  batchesPerRun: 100,
  statusPollMs: 100,
  statusWaitMaxMs: 30_000,
  statusRefreshAfterMs: 400,
  lookupTtlMs: 60_000,
  sendByMs: 60_000,
  activityTimeoutMs: 10_000,
  relayHeartbeatTimeoutMs: 10_000,
};

/** A campaign of `recipients` whose relay sends `batchSize` a batch; deliveries land `finalAfterPolls` polls later. */
function fakes(opts: { recipients: number; gate?: { ok: boolean; reason?: string }; deferFirstBatchMs?: number; finalAfterPolls?: number }) {
  const log = { statuses: [] as string[], relayAt: [] as number[], afterIds: [] as Array<string | undefined>, refreshes: 0, prepared: 0 };
  let sent = 0;
  let polls = 0;
  const activities: Partial<CampaignSendActivities> = {
    checkCampaignGate: async () => opts.gate ?? { ok: true },
    setCampaignStatus: async ({ status }) => void log.statuses.push(status),
    prepareAudience: async () => {
      log.prepared++;
      return { queued: opts.recipients + 2, dropped: 1 };
    },
    lookupAudience: async () => ({ lookedUp: opts.recipients, fromCache: 0, dropped: 2 }),
    relayBatch: async ({ batchSize, afterId }): Promise<RelayBatchResult> => {
      log.relayAt.push(Date.now());
      log.afterIds.push(afterId);
      if (opts.deferFirstBatchMs && log.relayAt.length === 1) {
        return {
          sent: 0,
          failed: 0,
          deferred: opts.recipients,
          reconciled: 0,
          pending: opts.recipients,
          canceled: false,
          totalSent: 0,
          totalFailed: 0,
          totalReconciled: 0,
          nextNotBeforeIso: new Date(Date.now() + opts.deferFirstBatchMs).toISOString(),
        };
      }
      const now = Math.min(batchSize, opts.recipients - sent);
      sent += now;
      // The outbox ids this fake "claimed" are 1..sent.
      return {
        sent: now,
        failed: 0,
        deferred: 0,
        reconciled: 0,
        pending: opts.recipients - sent,
        canceled: false,
        totalSent: sent,
        totalFailed: 0,
        totalReconciled: 0,
        ...(now ? { lastClaimedId: String(sent) } : {}),
      };
    },
    countDeliveries: async () => {
      polls++;
      const final = polls > (opts.finalAfterPolls ?? 0) ? sent : 0;
      return { sent, final, unknown: 0, outstanding: sent - final };
    },
    refreshOutstandingDeliveries: async () => ++log.refreshes,
  };
  return { activities, log };
}

describe('campaignSend workflow logic', () => {
  const start = async (h: Awaited<ReturnType<typeof workflowLogicHarness>>, t: CampaignTimings = timings) => {
    const campaignId = randomUUID();
    return h.client.workflow.start(campaignSend, startCampaignOptions({ id: campaignId, tenantId: randomUUID(), name: 'Spring recall' }, t, h.taskQueue));
  };

  it('refuses at the gate with the reason and does nothing else', async () => {
    const { activities, log } = fakes({ recipients: 5, gate: { ok: false, reason: 'The tenant is suspended; sending is blocked.' } });
    const h = await workflowLogicHarness(activities);
    try {
      const result = await (await start(h)).result();
      expect(result).toMatchObject({ phase: 'refused', reason: 'The tenant is suspended; sending is blocked.', sent: 0 });
      expect(log).toMatchObject({ statuses: ['refused'], prepared: 0, relayAt: [] });
    } finally {
      await h.close();
    }
  });

  it('relays a batch per cadence tick, waits for final statuses, then completes', async () => {
    const { activities, log } = fakes({ recipients: 25, finalAfterPolls: 3 });
    const h = await workflowLogicHarness(activities);
    try {
      const result = await (await start(h)).result();
      expect(result).toMatchObject({ phase: 'completed', queued: 25, dropped: 3, sent: 25, batches: 3, final: 25 });
      expect(log.statuses).toEqual(['preparing', 'relaying', 'waiting', 'completed']);
      const gaps = log.relayAt.slice(1).map((at, i) => at - log.relayAt[i]);
      for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(timings.cadenceMs - 20);
    } finally {
      await h.close();
    }
  });

  it('asks Twilio about messages whose callbacks never come, and stops waiting at the limit', async () => {
    const { activities, log } = fakes({ recipients: 3, finalAfterPolls: 1_000_000 });
    const h = await workflowLogicHarness(activities);
    try {
      const result = await (await start(h, { ...timings, statusWaitMaxMs: 1500 })).result();
      expect(result).toMatchObject({ phase: 'completed', sent: 3, final: 0 });
      expect(log.refreshes).toBeGreaterThan(0);
    } finally {
      await h.close();
    }
  });

  it('waits for quiet hours to end rather than spinning at the cadence', async () => {
    const { activities, log } = fakes({ recipients: 5, deferFirstBatchMs: 1500 });
    const h = await workflowLogicHarness(activities);
    try {
      await (await start(h)).result();
      expect(log.relayAt[1] - log.relayAt[0]).toBeGreaterThanOrEqual(1400);
    } finally {
      await h.close();
    }
  });

  it('stops relaying when canceled, and says so', async () => {
    const { activities, log } = fakes({ recipients: 1000 });
    const h = await workflowLogicHarness(activities);
    try {
      const handle = await start(h, { ...timings, cadenceMs: 60_000 });
      await eventually(async () => (await handle.query(campaignProgressQuery)).batches === 1);
      await handle.signal(cancelCampaignSignal, { by: 'tenant:test' });
      expect(await handle.result()).toMatchObject({ phase: 'canceled', sent: 10, batches: 1 });
      expect(log.statuses.at(-1)).toBe('canceled');
      expect(log.relayAt).toHaveLength(1);
    } finally {
      await h.close();
    }
  });

  it('continues as new between batches, carrying its progress, and prepares the audience only once', async () => {
    const { activities, log } = fakes({ recipients: 50 });
    const h = await workflowLogicHarness(activities);
    try {
      const handle = await start(h, { ...timings, cadenceMs: 50, batchesPerRun: 2 });
      const result = await h.client.workflow.getHandle(handle.workflowId).result();
      expect(result).toMatchObject({ phase: 'completed', sent: 50, batches: 5 });
      expect(log.prepared).toBe(1);
      // Each batch's claims start where the previous batch's ended, across runs too.
      expect(log.afterIds).toEqual([undefined, '10', '20', '30', '40']);
      // Five batches, two a run: three runs in the chain (visibility catches up a moment later).
      await eventually(async () => {
        let runs = 0;
        for await (const _ of h.client.workflow.list({ query: `WorkflowId = '${handle.workflowId}'` })) runs++;
        return runs >= 3;
      });
    } finally {
      await h.close();
    }
  });
});
