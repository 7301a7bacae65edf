import { randomUUID } from 'node:crypto';
import type { createTenantMonitorActivities, LadderMoveRecord, MonitorPolicy, TenantRates } from '../../src/activities/tenant-monitor';
import type { createNotificationActivities } from '../../src/activities/notifications';
import { DEFAULT_LADDER_POLICY } from '../../src/domain/escalation-ladder';
import { tenantMonitor } from '../../src/workflows';
import { monitorStateQuery, reinstateSendingSignal, suspendSendingSignal } from '../../src/workflows/tenant-monitor/definitions';
import { eventually, workflowLogicHarness } from '../support/workflow-logic';

type Activities = ReturnType<typeof createTenantMonitorActivities> & ReturnType<typeof createNotificationActivities>;

/** Workflow logic only: scripted rates and recorded effects, the real dev server and bundle. */
function fakes(script: { errorsPer1000: () => number }) {
  const log = { moves: [] as LadderMoveRecord[], subaccount: [] as string[], emails: 0, since: 0 };
  const policy: MonitorPolicy = { ...DEFAULT_LADDER_POLICY, recoverAfterMs: 300, windowsHours: [168] };
  const activities: Partial<Activities> = {
    monitorPolicy: async () => policy,
    measureTenantRates: async ({ since }): Promise<TenantRates> => {
      if (since) log.since++;
      const errors = script.errorsPer1000();
      return {
        measurements: [
          { metric: 'errorRate', window: '7d', numerator: errors, denominator: 1000 },
          { metric: 'optOutRate', window: '7d', numerator: 0, denominator: 1000 - errors },
        ],
        errorCodes: errors ? [{ code: 30003, n: errors }] : [],
      };
    },
    judgeFromNow: async () => ({ hour: new Date().toISOString(), delivered: 0, errors: 0, optOuts: 0 }),
    recordLadderMove: async (r) => {
      log.moves.push(r);
      return { noticeId: String(r.seq) };
    },
    setSubaccountStatus: async ({ status }) => void log.subaccount.push(status),
    emailNotice: async () => {
      log.emails++;
      // The mail server is down at first: the ladder must not wait for it.
      if (log.emails === 1) throw new Error('SMTP connection refused');
      return 'sent';
    },
  };
  return { activities, log };
}

describe('tenantMonitor workflow logic', () => {
  it('climbs on bad rates, holds at suspended until a person reinstates, and carries its state across continue-as-new', async () => {
    let errors = 100; // 10 %: bad
    const { activities, log } = fakes({ errorsPer1000: () => errors });
    const h = await workflowLogicHarness(activities);
    try {
      const tenantId = randomUUID();
      const handle = await h.client.workflow.start(tenantMonitor, {
        taskQueue: h.taskQueue,
        workflowId: `tenant-monitor/${tenantId}`,
        args: [{ tenantId, intervalMs: 50, evaluationsPerRun: 4 }],
      });
      const suspended = await eventually(async () => {
        const s = await handle.query(monitorStateQuery);
        return s.state === 'suspended' && s.evaluations >= 12 ? s : undefined;
      }, 30_000);
      expect(log.moves.map((m) => [m.seq, m.move.to])).toEqual([[1, 'warned'], [2, 'under_review'], [3, 'suspended']]);
      expect(log.subaccount).toEqual(['suspended']);
      expect(suspended.lastEvaluation?.errorCodes).toEqual([{ code: 30003, n: 100 }]);

      // Duplicate suspensions change nothing; a reinstatement ends it and judges from then on.
      await handle.signal(suspendSendingSignal, { by: 'staff:alice', reason: 'again' });
      errors = 0;
      await handle.signal(reinstateSendingSignal, { by: 'staff:alice', reason: 'fixed' });
      await eventually(async () => (await handle.query(monitorStateQuery)).state === 'good');
      expect(log.moves.map((m) => [m.seq, m.move.to, m.actor])).toEqual([
        [1, 'warned', 'system:monitor'],
        [2, 'under_review', 'system:monitor'],
        [3, 'suspended', 'system:monitor'],
        [4, 'good', 'staff:alice'],
      ]);
      expect(log.subaccount).toEqual(['suspended', 'active']);
      await eventually(async () => log.since > 0);
      await eventually(async () => log.emails >= 5); // four notices, the first one retried

      // Four evaluations a run: several runs in the chain, one ladder.
      let runs = 0;
      await eventually(async () => {
        runs = 0;
        for await (const _ of h.client.workflow.list({ query: `WorkflowId = '${handle.workflowId}'` })) runs++;
        return runs >= 3;
      });
      const after = await handle.query(monitorStateQuery);
      expect(after.moves).toHaveLength(4);
      expect(after.evaluations).toBeGreaterThan(12);
      await handle.terminate('test over');
    } finally {
      await h.close();
    }
  });
});
