import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { KycAssessment } from '../../src/domain/kyc-risk';
import {
  approveSignal,
  areaCodeChosenSignal,
  kycResubmittedSignal,
  reinstateSignal,
  rejectSignal,
  resendVerificationCodeUpdate,
  sandboxSendUpdate,
  staffDecisionUpdates,
  submitVerificationCodeUpdate,
  suspendSignal,
  type StaffAction,
} from '../../src/workflows/tenant-lifecycle/definitions';
import { recordHistoryIfAsked } from '../support/histories';
import { StopWaiting } from '../support/eventually';
import { atStep, codeSent, fakes, low, refusal, startTenant, stateOf, throughSandbox, timings } from '../support/lifecycle-logic';
import { eventually, workflowLogicHarness } from '../support/workflow-logic';
import { monitorStateQuery, monitorWorkflowId } from '../../src/workflows/tenant-monitor/definitions';

/** Workflow logic only: every activity is a scripted fake, the server and bundle are real. */

describe('tenantLifecycle workflow logic', () => {
  it('walks sign-up to active: wrong then right code, magic-number sends only, reminders, approval, number after a new area code', async () => {
    const { activities, log, decided } = fakes();
    const h = await workflowLogicHarness(activities);
    try {
      const handle = await startTenant(h);
      const verifying = await codeSent(handle);
      expect(verifying.openRequirements[0]).toMatch(/Enter the code sent to …2671/);

      expect(await handle.executeUpdate(submitVerificationCodeUpdate, { args: [{ code: '000000' }] })).toEqual({ status: 'wrong_code', attemptsLeft: 2 });
      expect(await refusal(handle.executeUpdate(submitVerificationCodeUpdate, { args: [{ code: 'abc' }] }))).toBe('InvalidInput');
      expect(await handle.executeUpdate(submitVerificationCodeUpdate, { args: [{ code: '123456' }] })).toEqual({ status: 'approved', attemptsLeft: 1 });

      await atStep(handle, 'sandbox');
      expect(await refusal(handle.executeUpdate(sandboxSendUpdate, { args: [{ to: '+14155552671', from: '+15005550006', body: 'hi' }] }))).toBe(
        'NotMagicNumber',
      );
      const invalid = await handle.executeUpdate(sandboxSendUpdate, { args: [{ to: '+15005550001', from: '+15005550006', body: 'hi' }] });
      expect(invalid).toMatchObject({ ok: false, errorCode: 21211 });
      expect((await stateOf(handle)).sandbox).toEqual({ successfulSends: 0, required: 2 });
      await throughSandbox(handle);

      const reviewing = await eventually(async () => (await stateOf(handle)).review);
      expect(reviewing).toMatchObject({ kind: 'onboarding_review' });
      await eventually(async () => log.reminders >= 2);
      await handle.signal(approveSignal, decided('approve', 'staff:alice', 'checked the business registry'));

      const waitingForNumber = await eventually(async () => {
        const s = await stateOf(handle);
        return s.step === 'number' && s.openRequirements.length ? s : undefined;
      });
      expect(waitingForNumber.openRequirements[0]).toMatch(/area code 533.*Choose another area code/);
      await handle.signal(areaCodeChosenSignal, { areaCode: '415' });

      const done = await handle.result();
      expect(done).toMatchObject({ step: 'active', phoneNumber: '+14155550100', subaccountSid: `AC${'1'.repeat(32)}`, openRequirements: [] });
      expect(done.history.map((s) => s.step)).toEqual(['kyc', 'verification', 'sandbox', 'review', 'provisioning', 'number', 'registration', 'active']);
      expect(log.steps).toEqual(['kyc', 'verification', 'sandbox', 'review', 'provisioning', 'number', 'registration', 'active']);
      expect(log.decisions).toEqual([expect.objectContaining({ decision: 'approved', by: 'staff:alice' })]);
      expect(log.areaCodes).toEqual([undefined, '415']);
      const described = await handle.describe();
      expect(described.typedSearchAttributes.get({ name: 'ComplianceState', type: 'KEYWORD' } as never)).toBe('active');
      // Activation started the tenant's monitor, which runs on after the lifecycle completed.
      const monitor = h.client.workflow.getHandle(monitorWorkflowId(done.tenantId));
      expect((await monitor.describe()).status.name).toBe('RUNNING');
      await eventually(async () => (await monitor.query(monitorStateQuery)).evaluations >= 1);
      await monitor.terminate('test over');
    } finally {
      await h.close();
    }
  });

  it.each([
    ['promptly', undefined],
    // The resubmission arrives while the 'rejected' step is still being recorded: it must not be lost.
    ['while the rejection is still being recorded', 'rejected'],
  ])('rejects high KYC risk with its reasons, then starts over on a resubmission sent %s', async (_when, slowStep) => {
    const high: KycAssessment = {
      score: 100,
      level: 'high',
      reasons: [{ code: 'use_case.prohibited', points: 100, reason: 'Debt collection is not allowed.' }],
    };
    const { activities, log } = fakes([high, low], slowStep);
    const h = await workflowLogicHarness(activities);
    try {
      const handle = await startTenant(h);
      const rejected = await atStep(handle, 'rejected');
      expect(rejected.reasons).toEqual(['Debt collection is not allowed.']);
      expect(rejected.openRequirements[0]).toMatch(/resubmit your KYC/);
      await handle.signal(kycResubmittedSignal);
      await atStep(handle, 'verification');
      // The step shows in the query before the (fake) activity has recorded it.
      await eventually(async () => log.steps.length === 4);
      expect(log.steps).toEqual(['kyc', 'rejected', 'kyc', 'verification']);
      await handle.terminate('test done');
    } finally {
      await h.close();
    }
  });

  it('sends medium risk to a person, whose rejection keeps the reason', async () => {
    const medium: KycAssessment = { score: 35, level: 'medium', reasons: [{ code: 'identity.free_mail', points: 35, reason: 'Free-mail contact.' }] };
    const { activities, log, decided } = fakes([medium]);
    const h = await workflowLogicHarness(activities);
    try {
      const handle = await startTenant(h);
      expect(await eventually(async () => (await stateOf(handle)).review)).toMatchObject({ kind: 'kyc_review' });
      await handle.signal(rejectSignal, decided('reject', 'staff:bob', 'website does not exist'));
      const rejected = await atStep(handle, 'rejected');
      expect(rejected.reasons).toEqual(['website does not exist']);
      expect(log.decisions).toEqual([expect.objectContaining({ decision: 'rejected', by: 'staff:bob', reason: 'website does not exist' })]);
      await handle.terminate('test done');
    } finally {
      await h.close();
    }
  });

  it('bounds verification: attempts run out, resends wait for the cooldown, codes expire', async () => {
    const { activities, log } = fakes();
    const h = await workflowLogicHarness(activities);
    try {
      const handle = await startTenant(h, { ...timings, verificationTtlMs: 1500 });
      await codeSent(handle);
      expect(await refusal(handle.executeUpdate(resendVerificationCodeUpdate))).toBe('Cooldown');
      for (const left of [2, 1, 0])
        expect(await handle.executeUpdate(submitVerificationCodeUpdate, { args: [{ code: '111111' }] })).toEqual({ status: 'wrong_code', attemptsLeft: left });
      expect(await refusal(handle.executeUpdate(submitVerificationCodeUpdate, { args: [{ code: '123456' }] }))).toBe('AttemptsExhausted');

      // Asked again until the cooldown is over: refused as Cooldown until then, sent once after.
      let resent: { sentTo: string } | undefined;
      await eventually(
        async () => {
          const refused = await refusal(handle.executeUpdate(resendVerificationCodeUpdate).then((r) => void (resent = r)));
          if (refused && refused !== 'Cooldown') throw new StopWaiting(`the resend was refused as ${refused}, not for its cooldown`);
          return !refused;
        },
        { describe: 'the resend cooldown to end' },
      );
      expect(resent?.sentTo).toBe('…2671');
      expect(log.verificationsSent).toBe(2);
      expect((await stateOf(handle)).verification.attemptsLeft).toBe(3);

      // Past the new code's expiry as the workflow states it, the right code is refused as expired.
      const { expiresAt } = (await stateOf(handle)).verification;
      await eventually(() => Date.now() > Date.parse(expiresAt!), { describe: `the code to expire (at ${expiresAt})` });
      expect(await handle.executeUpdate(submitVerificationCodeUpdate, { args: [{ code: '123456' }] })).toMatchObject({ status: 'expired' });
      expect((await stateOf(handle)).verification.verified).toBe(false);
      await handle.terminate('test done');
    } finally {
      await h.close();
    }
  });

  it('lets staff suspend (no progress, no sends), reinstate, and reject at any step', async () => {
    const { activities, log, decided } = fakes();
    const h = await workflowLogicHarness(activities);
    try {
      const handle = await startTenant(h);
      await codeSent(handle);
      await handle.executeUpdate(submitVerificationCodeUpdate, { args: [{ code: '123456' }] });
      await atStep(handle, 'sandbox');
      await handle.signal(suspendSignal, decided('suspend', 'staff:carol', 'complaint received'));
      await eventually(async () => (await stateOf(handle)).suspended);
      expect(await refusal(handle.executeUpdate(sandboxSendUpdate, { args: [{ to: '+15005550006', from: '+15005550006', body: 'x' }] }))).toBe('NotInStep');

      await handle.signal(reinstateSignal, decided('reinstate', 'staff:carol', 'complaint resolved'));
      await eventually(async () => !(await stateOf(handle)).suspended);
      await throughSandbox(handle);
      await atStep(handle, 'review');
      expect(log.staff).toEqual([
        expect.objectContaining({ action: 'tenant.suspended', by: 'staff:carol', step: 'sandbox' }),
        expect.objectContaining({ action: 'tenant.reinstated', by: 'staff:carol', step: 'sandbox' }),
      ]);

      const other = await startTenant(h);
      await atStep(other, 'verification');
      await other.signal(rejectSignal, decided('reject', 'staff:dan', 'fraud signals'));
      expect((await atStep(other, 'rejected')).reasons).toEqual(['fraud signals']);
      await handle.terminate('test done');
      await other.terminate('test done');
    } finally {
      await h.close();
    }
  });

  it("ignores staff decisions that name no audit entry, another decision's, or a used one; who and why come from the entry", async () => {
    const { activities, log, decided } = fakes();
    const h = await workflowLogicHarness(activities);
    try {
      const handle = await startTenant(h);
      await codeSent(handle);
      await handle.executeUpdate(submitVerificationCodeUpdate, { args: [{ code: '123456' }] });
      await atStep(handle, 'sandbox');
      // Straight through Temporal, as anyone who reaches it could: nothing happens.
      await handle.signal(suspendSignal, { by: 'staff:mallory', reason: 'forged' });
      await handle.signal(rejectSignal, { by: 'staff:mallory', reason: 'forged', auditId: '999' });
      await eventually(async () => log.refused.length === 2);
      expect(await stateOf(handle)).toMatchObject({ step: 'sandbox', suspended: false });

      const suspension = decided('suspend', 'staff:carol', 'complaint received');
      await handle.signal(suspendSignal, suspension);
      await eventually(async () => (await stateOf(handle)).suspended);
      await handle.signal(reinstateSignal, decided('reinstate', 'staff:carol', 'complaint resolved'));
      await eventually(async () => !(await stateOf(handle)).suspended);
      await handle.signal(suspendSignal, suspension);
      await eventually(async () => log.refused.length === 3);
      expect((await stateOf(handle)).suspended).toBe(false);

      await throughSandbox(handle);
      await eventually(async () => (await stateOf(handle)).review);
      await handle.signal(approveSignal, { by: 'staff:carol', reason: 'looks fine', auditId: suspension.auditId });
      await eventually(async () => log.refused.length === 4);
      // (The scripted number search has nothing without an area code: name one up front.)
      await handle.signal(areaCodeChosenSignal, { areaCode: '415' });
      const approval = decided('approve', 'staff:alice', 'checked the business registry');
      await handle.signal(approveSignal, { ...approval, by: 'staff:mallory', reason: 'forged' });
      const done = await handle.result();
      expect(done.step).toBe('active');
      expect(log.decisions).toEqual([expect.objectContaining({ decision: 'approved', by: 'staff:alice', reason: 'checked the business registry' })]);
      expect(log.staff).toEqual([
        expect.objectContaining({ action: 'tenant.suspended', by: 'staff:carol' }),
        expect.objectContaining({ action: 'tenant.reinstated', by: 'staff:carol' }),
      ]);
      // The first two Signals arrive together and their checks run side by side: either order.
      expect(log.refused).toHaveLength(4);
      expect(log.refused).toEqual(
        expect.arrayContaining([
          { decision: 'suspend', auditId: undefined, why: 'no such audit entry' },
          { decision: 'reject', auditId: '999', why: 'no such audit entry' },
          { decision: 'suspend', auditId: suspension.auditId, why: 'already used' },
          { decision: 'approve', auditId: suspension.auditId, why: 'another decision' },
        ]),
      );
      expect(log.refused[3]).toEqual({ decision: 'approve', auditId: suspension.auditId, why: 'another decision' });
      await h.client.workflow.getHandle(monitorWorkflowId(done.tenantId)).terminate('test over');
    } finally {
      await h.close();
    }
  });

  it('holds a step that keeps failing on infrastructure: running, a staff case open, then completes once the fault clears', async () => {
    const { activities, log, decided, outage } = fakes();
    const h = await workflowLogicHarness(activities);
    try {
      const handle = await startTenant(h, { ...timings, faultRetryIntervalMs: 200 });
      await codeSent(handle);
      await handle.executeUpdate(submitVerificationCodeUpdate, { args: [{ code: '123456' }] });
      await throughSandbox(handle);
      await eventually(async () => (await stateOf(handle)).review);
      outage.provisioning = true;
      await handle.signal(areaCodeChosenSignal, { areaCode: '415' });
      await handle.signal(approveSignal, decided('approve', 'staff:alice', 'checked'));

      const holding = await eventually(async () => {
        const s = await stateOf(handle);
        return log.faults.length >= 3 && s.fault && s.fault.failures >= 3 ? s : undefined;
      });
      expect(holding).toMatchObject({ step: 'provisioning', fault: { activity: 'provisionSubaccount', caseId: expect.stringMatching(/^case:/) } });
      expect((await handle.describe()).status.name).toBe('RUNNING');
      // One case for the failing call, every failure counted on it, with the activity's own error.
      expect(new Set(log.faults.map((f) => f.key)).size).toBe(1);
      expect(log.faults[0]).toMatchObject({
        activity: 'provisionSubaccount',
        step: 'provisioning',
        error: 'TwilioError20003: create subaccount: Twilio 20003: Authenticate',
      });
      expect(log.closedCases).toEqual([]);

      outage.provisioning = false;
      const done = await handle.result();
      expect(done).toMatchObject({ step: 'active', subaccountSid: `AC${'1'.repeat(32)}` });
      expect(done.fault).toBeUndefined();
      expect(log.closedCases).toEqual([{ caseId: holding.fault!.caseId, resolution: 'the step went through' }]);
      await recordHistoryIfAsked(h.client, handle.workflowId, 'infrastructure-fault-held');
      await h.client.workflow.getHandle(monitorWorkflowId(done.tenantId)).terminate('test over');
    } finally {
      await h.close();
    }
  });

  describe('staff decisions as Updates', () => {
    /** Events in the run's history: a refused Update adds none. */
    const eventCount = async (handle: WorkflowHandle) => (await handle.fetchHistory()).events?.length ?? 0;

    it('refuses a decision that does not fit, or is malformed, in its validator: nothing recorded, no activity, state unchanged', async () => {
      const { activities, log, decided } = fakes();
      const h = await workflowLogicHarness(activities);
      try {
        const handle = await startTenant(h);
        // Waiting for the code: the run is idle, so its history only grows by what the Updates do.
        const before = await codeSent(handle);
        const events = await eventCount(handle);
        const misfits: Array<[keyof typeof staffDecisionUpdates, StaffAction, string, RegExp]> = [
          ['approve', decided('approve', 'staff:alice', 'looks fine'), 'NotInStep', /no open review/],
          ['reinstate', decided('reinstate', 'staff:alice', 'not suspended'), 'NotInStep', /not suspended/],
          ['suspend', { by: 'staff:alice', reason: 'no audit entry' }, 'InvalidInput', /auditId/],
          ['suspend', { by: 'mallory', reason: 'not staff', auditId: '1' }, 'InvalidInput', /staff member/],
          ['reject', { by: 'staff:alice', reason: ' ', auditId: '1' }, 'InvalidInput', /reason/],
        ];
        for (const [name, action, type, message] of misfits) {
          const refused = await handle.executeUpdate(staffDecisionUpdates[name], { args: [action] }).then(
            () => undefined,
            (err: unknown) => err,
          );
          expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
          const cause = (refused as WorkflowUpdateFailedError).cause as ApplicationFailure;
          expect([cause.type, cause.message]).toEqual([type, expect.stringMatching(message)]);
        }
        expect(await eventCount(handle)).toBe(events);
        expect(log.confirmations).toBe(0);
        expect(log.staff).toEqual([]);
        expect(await stateOf(handle)).toEqual(before);
        await handle.terminate('test done');
      } finally {
        await h.close();
      }
    });

    it('takes a fitting decision in one call and answers with the new state; a second one that no longer fits is refused', async () => {
      const { activities, log, decided } = fakes();
      const h = await workflowLogicHarness(activities);
      try {
        const handle = await startTenant(h);
        await codeSent(handle);
        const suspended = await handle.executeUpdate(staffDecisionUpdates.suspend, { args: [decided('suspend', 'staff:carol', 'complaint received')] });
        expect(suspended).toMatchObject({ step: 'verification', suspended: true });
        expect(await refusal(handle.executeUpdate(staffDecisionUpdates.suspend, { args: [decided('suspend', 'staff:carol', 'again')] }))).toBe('NotInStep');
        expect(await refusal(handle.executeUpdate(submitVerificationCodeUpdate, { args: [{ code: '123456' }] }))).toBe('NotInStep');
        const reinstated = await handle.executeUpdate(staffDecisionUpdates.reinstate, { args: [decided('reinstate', 'staff:carol', 'complaint resolved')] });
        expect(reinstated.suspended).toBe(false);
        // An entry recorded for another decision fits the step but not the audit check: refused by the handler, recorded by the check.
        const approval = decided('approve', 'staff:carol', 'not a suspension');
        expect(await refusal(handle.executeUpdate(staffDecisionUpdates.suspend, { args: [approval] }))).toBe('DecisionNotAudited');
        expect(log.refused).toEqual([{ decision: 'suspend', auditId: approval.auditId, why: 'another decision' }]);
        expect((await stateOf(handle)).suspended).toBe(false);

        await handle.executeUpdate(submitVerificationCodeUpdate, { args: [{ code: '123456' }] });
        await throughSandbox(handle);
        await eventually(async () => (await stateOf(handle)).review);
        await handle.signal(areaCodeChosenSignal, { areaCode: '415' });
        // Two approvals at once: one is taken, the other refused, and the review is decided once.
        const both = await Promise.allSettled(
          [0, 1].map(() => handle.executeUpdate(staffDecisionUpdates.approve, { args: [decided('approve', 'staff:alice', 'checked')] })),
        );
        expect(both.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
        const lost = both.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
        expect(lost.reason).toBeInstanceOf(WorkflowUpdateFailedError);
        expect((lost.reason as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'NotInStep' });
        const done = await handle.result();
        expect(done.step).toBe('active');
        expect(log.decisions).toEqual([expect.objectContaining({ decision: 'approved', by: 'staff:alice' })]);
        expect(log.staff).toEqual([
          expect.objectContaining({ action: 'tenant.suspended', by: 'staff:carol', step: 'verification' }),
          expect.objectContaining({ action: 'tenant.reinstated', by: 'staff:carol', step: 'verification' }),
        ]);
        await recordHistoryIfAsked(h.client, handle.workflowId, 'staff-decision-updates');
        await h.client.workflow.getHandle(monitorWorkflowId(done.tenantId)).terminate('test over');
      } finally {
        await h.close();
      }
    });

    it('rejects through an Update at any onboarding step, and refuses a rejection once rejected', async () => {
      const { activities, decided } = fakes();
      const h = await workflowLogicHarness(activities);
      try {
        const handle = await startTenant(h);
        await codeSent(handle);
        await handle.executeUpdate(staffDecisionUpdates.reject, { args: [decided('reject', 'staff:dan', 'fraud signals')] });
        expect((await atStep(handle, 'rejected')).reasons).toEqual(['fraud signals']);
        expect(await refusal(handle.executeUpdate(staffDecisionUpdates.reject, { args: [decided('reject', 'staff:dan', 'again')] }))).toBe('NotInStep');
        await handle.terminate('test done');
      } finally {
        await h.close();
      }
    });
  });
});
