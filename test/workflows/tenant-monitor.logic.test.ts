import { randomUUID } from 'node:crypto';
import type { createTenantMonitorActivities, LadderMoveRecord, MonitorPolicy, WarnedReminderRecord } from '../../src/activities/tenant-monitor';
import type { TenantRates } from '../../src/db/traffic-counters';
import type { createNotificationActivities } from '../../src/activities/notifications';
import { DEFAULT_LADDER_POLICY } from '../../src/domain/escalation-ladder';
import { tenantMonitor } from '../../src/workflows';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import {
  monitorStateQuery,
  monitorWorkflowId,
  reinstateSendingSignal,
  staffStandingUpdates,
  suspendSendingSignal,
} from '../../src/workflows/tenant-monitor/definitions';
import { recordHistoryIfAsked } from '../support/histories';
import { eventually, workflowLogicHarness } from '../support/workflow-logic';

type Activities = ReturnType<typeof createTenantMonitorActivities> & ReturnType<typeof createNotificationActivities>;

/** Workflow logic only: scripted rates and recorded effects, the real dev server and bundle. */
function fakes(script: { errorsPer1000: () => number }) {
  const log = {
    moves: [] as LadderMoveRecord[],
    reminders: [] as Array<WarnedReminderRecord & { at: number }>,
    subaccount: [] as string[],
    emails: 0,
    emailed: [] as string[],
    since: 0,
  };
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
        campaigns: errors ? [{ campaignId: 'c1', name: 'Spring promo', sent: 1000, refused: 0, delivered: 1000 - errors, errors, optOuts: 0 }] : [],
      };
    },
    judgeFromNow: async () => ({ hour: new Date().toISOString(), delivered: 0, errors: 0, optOuts: 0 }),
    recordLadderMove: async (r) => {
      log.moves.push(r);
      return { noticeId: String(r.seq) };
    },
    recordWarnedReminder: async (r) => {
      log.reminders.push({ ...r, at: Date.now() });
      return { noticeId: `reminder-${r.warnedSeq}-${r.reminder}` };
    },
    setSubaccountStatus: async ({ status }) => void log.subaccount.push(status),
    emailNotice: async (id) => {
      log.emails++;
      log.emailed.push(id);
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
        workflowId: monitorWorkflowId(tenantId),
        args: [{ tenantId, intervalMs: 50, evaluationsPerRun: 4 }],
      });
      const suspended = await eventually(async () => {
        const s = await handle.query(monitorStateQuery);
        return s.state === 'suspended' && s.evaluations >= 12 ? s : undefined;
      }, 30_000);
      expect(log.moves.map((m) => [m.seq, m.move.to])).toEqual([
        [1, 'warned'],
        [2, 'under_review'],
        [3, 'suspended'],
      ]);
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

  it('reminds a warned tenant every reminder interval with the current figures, across continue-as-new, until it recovers', async () => {
    let errors = 50; // 5 %: approaching, which warns and goes no further
    const { activities, log } = fakes({ errorsPer1000: () => errors });
    const h = await workflowLogicHarness(activities);
    try {
      const tenantId = randomUUID();
      const handle = await h.client.workflow.start(tenantMonitor, {
        taskQueue: h.taskQueue,
        workflowId: monitorWorkflowId(tenantId),
        args: [{ tenantId, intervalMs: 50, evaluationsPerRun: 4, reminderIntervalMs: 400 }],
      });
      await eventually(async () => log.reminders.length >= 2);
      errors = 55; // each reminder carries the figures of its own evaluation
      await eventually(async () => log.reminders.length >= 4, 30_000);
      const warned = await handle.query(monitorStateQuery);
      expect(warned.state).toBe('warned');
      expect(log.moves.map((m) => [m.seq, m.move.to])).toEqual([[1, 'warned']]);

      // One numbered series for the warned move, an interval apart, none doubled by continue-as-new.
      const series = log.reminders.slice(0, 4);
      expect(series.map((r) => [r.warnedSeq, r.reminder])).toEqual([
        [1, 1],
        [1, 2],
        [1, 3],
        [1, 4],
      ]);
      for (let i = 1; i < series.length; i++) expect(series[i].at - series[i - 1].at).toBeGreaterThanOrEqual(300);
      expect(series[0].figures.rates[0]).toMatchObject({ metric: 'errorRate', numerator: 50, band: 'approaching' });
      expect(series[0].figures.errorCodes).toEqual([{ code: 30003, n: 50 }]);
      expect(series[0].figures.campaigns).toEqual([expect.objectContaining({ name: 'Spring promo', errors: 50 })]);
      expect(series[3].figures.rates[0]).toMatchObject({ numerator: 55 });
      expect(warned.reminders).toMatchObject({ warnedSeq: 1, sent: expect.any(Number) });
      await eventually(async () => log.emailed.includes('reminder-1-3')); // every reminder is emailed too

      // Good again: back to good after the recovery time, and the reminders stop.
      errors = 0;
      await eventually(async () => (await handle.query(monitorStateQuery)).state === 'good');
      const stopped = log.reminders.length;
      const good = await handle.query(monitorStateQuery);
      expect(good.reminders).toBeUndefined();
      // The monitor evaluates on for over two reminder intervals of its own time after turning good: no reminder comes.
      const goodAt = Date.parse([...good.moves].reverse().find((m) => m.to === 'good')!.at);
      await eventually(async () => Date.parse((await handle.query(monitorStateQuery)).lastEvaluation?.at ?? '') >= goodAt + 1000, {
        describe: 'the monitor to evaluate for 1 s after turning good',
      });
      expect(log.reminders).toHaveLength(stopped);

      // Warned again: a new series, numbered from 1 under the new move.
      errors = 50;
      await eventually(async () => log.reminders.some((r) => r.warnedSeq === 3), 30_000);
      expect(log.moves.map((m) => [m.seq, m.move.to])).toEqual([
        [1, 'warned'],
        [2, 'good'],
        [3, 'warned'],
      ]);
      expect(log.reminders.filter((r) => r.warnedSeq === 3).map((r) => r.reminder)).toEqual([1]);
      await handle.terminate('test over');
    } finally {
      await h.close();
    }
  });

  it('takes staff decisions as Updates: a misfit is refused by the validator (nothing recorded), a fitting one answers once taken, its effects following even while Twilio is down', async () => {
    const { activities, log } = fakes({ errorsPer1000: () => 0 });
    let twilioDown = false;
    const setSubaccountStatus = activities.setSubaccountStatus!;
    activities.setSubaccountStatus = async (input) => {
      if (twilioDown) throw new Error('Twilio answered 503');
      return setSubaccountStatus(input);
    };
    const h = await workflowLogicHarness(activities);
    try {
      const tenantId = randomUUID();
      // No evaluation for a minute: the run is idle, so its history grows only by what the Updates do.
      const handle = await h.client.workflow.start(tenantMonitor, {
        taskQueue: h.taskQueue,
        workflowId: monitorWorkflowId(tenantId),
        args: [{ tenantId, intervalMs: 60_000 }],
      });
      await eventually(async () => (await handle.query(monitorStateQuery)).nextEvaluationAt);
      const eventCount = async () => (await handle.fetchHistory()).events?.length ?? 0;
      const idle = await eventCount();
      const refused = async (decision: keyof typeof staffStandingUpdates, action: { by: string; reason: string }) =>
        handle.executeUpdate(staffStandingUpdates[decision], { args: [action] }).then(
          () => undefined,
          (err: unknown) => (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure ? [err.cause.type, err.cause.message] : err),
        );
      expect(await refused('approve', { by: 'staff:alice', reason: 'nothing under review' })).toEqual([
        'NotInStep',
        'The tenant is good; approve does not apply.',
      ]);
      expect(await refused('reinstate', { by: 'staff:alice', reason: 'not suspended' })).toEqual([
        'NotInStep',
        'The tenant is good; reinstate does not apply.',
      ]);
      expect(await refused('suspend', { by: 'nobody', reason: 'not staff' })).toEqual(['InvalidInput', expect.stringMatching(/staff member/)]);
      expect(await eventCount()).toBe(idle);
      expect(log.moves).toEqual([]);

      // Twilio refuses the subaccount's suspension for now: the decision is still taken at once.
      twilioDown = true;
      expect(await handle.executeUpdate(staffStandingUpdates.suspend, { args: [{ by: 'staff:alice', reason: 'complaints' }] })).toEqual({
        from: 'good',
        to: 'suspended',
      });
      expect(log.subaccount).toEqual([]);
      expect(await refused('suspend', { by: 'staff:alice', reason: 'again' })).toEqual(['NotInStep', 'The tenant is suspended; suspend does not apply.']);
      twilioDown = false;
      const suspended = await eventually(async () => {
        const s = await handle.query(monitorStateQuery);
        return s.state === 'suspended' ? s : undefined;
      });
      expect(suspended.moves).toEqual([expect.objectContaining({ from: 'good', to: 'suspended', why: 'staff', by: 'staff:alice' })]);
      expect(log.subaccount).toEqual(['suspended']);
      expect(await handle.executeUpdate(staffStandingUpdates.reinstate, { args: [{ by: 'staff:alice', reason: 'fixed' }] })).toEqual({
        from: 'suspended',
        to: 'good',
      });
      await eventually(async () => (await handle.query(monitorStateQuery)).state === 'good');
      expect(log.moves.map((m) => [m.seq, m.move.to, m.actor])).toEqual([
        [1, 'suspended', 'staff:alice'],
        [2, 'good', 'staff:alice'],
      ]);
      expect(log.subaccount).toEqual(['suspended', 'active']);
      await recordHistoryIfAsked(h.client, handle.workflowId, 'staff-decision-updates-twilio-down');
      await handle.terminate('test over');
    } finally {
      await h.close();
    }
  });
});
