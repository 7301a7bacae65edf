import type { WorkflowHandle } from '@temporalio/client';
import { registrationStateQuery, registrationWorkflowId, startRegistrationOptions } from '../../src/workflows/carrier-registration/definitions';
import { carrierRegistration } from '../../src/workflows/carrier-registration/workflow';
import {
  approveSignal,
  areaCodeChosenSignal,
  registrationDetailsGivenSignal,
  restartRegistrationUpdate,
  submitVerificationCodeUpdate,
  type StaffAction,
} from '../../src/workflows/tenant-lifecycle/definitions';
import { monitorWorkflowId } from '../../src/workflows/tenant-monitor/definitions';
import { codeSent, fakes, refusal, startTenant, stateOf, throughSandbox, timings } from '../support/lifecycle-logic';
import { eventually, workflowLogicHarness } from '../support/workflow-logic';

/**
 * The lifecycle's registration step (issue 14), workflow logic only: the lifecycle's and the
 * carrierRegistration child's activities are scripted fakes, the server and bundle are real.
 */

/** Verified, through the sandbox, approved, an area code chosen: the run goes on to provisioning, the number and registration. */
async function pastNumber(handle: WorkflowHandle, decided: (d: string, by: string, reason: string) => StaffAction) {
  await codeSent(handle);
  await handle.executeUpdate(submitVerificationCodeUpdate, { args: [{ code: '123456' }] });
  await throughSandbox(handle);
  await eventually(async () => (await stateOf(handle)).review);
  await handle.signal(areaCodeChosenSignal, { areaCode: '415' });
  await handle.signal(approveSignal, decided('approve', 'staff:alice', 'checked'));
}
const atRegistration = (handle: WorkflowHandle, phase: string) =>
  eventually(async () => {
    const s = await stateOf(handle);
    return s.step === 'registration' && s.registration?.phase === phase ? s : undefined;
  });

/** The child registration's own phase (the lifecycle's view of it only changes when it ends). */
const childAt = (child: WorkflowHandle, phase: string) =>
  eventually(async () => ((await child.query(registrationStateQuery).catch(() => undefined))?.phase === phase ? true : undefined));

describe('tenantLifecycle registration step', () => {
  it('waits for missing details, runs the registration as a child, and goes active only once it is approved', async () => {
    const { activities, decided, registration, log } = fakes();
    registration.plan = null;
    registration.verdicts = { brand: [{ outcome: 'pending' }, { outcome: 'pending' }, { outcome: 'pending' }, { outcome: 'approved' }] };
    const h = await workflowLogicHarness(activities);
    try {
      const handle = await startTenant(h);
      await pastNumber(handle, decided);
      const waiting = await atRegistration(handle, 'details_missing');
      expect(waiting.openRequirements[0]).toMatch(/PUT \/v1\/tenants\/.+\/registration-details/);
      // A Signal with nothing stored yet changes nothing: the step reads again and waits again.
      await handle.signal(registrationDetailsGivenSignal);
      await eventually(async () => log.steps.includes('registration'));
      expect((await stateOf(handle)).registration?.phase).toBe('details_missing');

      registration.plan = { kind: '10dlc', brandType: 'STANDARD' };
      await handle.signal(registrationDetailsGivenSignal);
      const child = h.client.workflow.getHandle(registrationWorkflowId((await stateOf(handle)).tenantId));
      await childAt(child, 'brand_review');
      expect((await stateOf(handle)).step).toBe('registration');

      const done = await handle.result();
      expect(done).toMatchObject({ step: 'active', registration: { phase: 'approved' }, openRequirements: [] });
      expect(done.history.map((s) => s.step).slice(-3)).toEqual(['number', 'registration', 'active']);
      expect(registration.calls).toEqual([
        'ensureCustomerProfile',
        'ensureTrustProduct',
        'ensureBrandRegistration',
        'ensureMessagingService',
        'ensureA2pCampaign',
      ]);
      expect((await child.describe()).status.name).toBe('COMPLETED');
      await h.client.workflow.getHandle(monitorWorkflowId(done.tenantId)).terminate('test over');
    } finally {
      await h.close();
    }
  });

  it('awaits a registration already started under the tenant’s id instead of starting a second one', async () => {
    const { activities, decided, registration } = fakes();
    registration.verdicts = { brand: [{ outcome: 'pending' }] };
    const h = await workflowLogicHarness(activities);
    try {
      const handle = await startTenant(h);
      const { tenantId } = await stateOf(handle);
      // Staff started this tenant's registration before the lifecycle got there (its Twilio review drags on).
      const started = await h.client.workflow.start(
        carrierRegistration,
        startRegistrationOptions({ tenantId, kind: '10dlc', brandType: 'STANDARD', timings: timings.registration! }, h.taskQueue),
      );
      await pastNumber(handle, decided);
      await eventually(async () => (await stateOf(handle)).step === 'registration');
      await new Promise((r) => setTimeout(r, 1_000));
      expect((await stateOf(handle)).step).toBe('registration');
      // It ends approved (as PostgreSQL then records it): the lifecycle goes on; one run ever held the id.
      registration.verdicts = {};
      expect((await started.result()).phase).toBe('approved');
      registration.standing = { kind: '10dlc', phase: 'approved', reasons: [] };
      expect(await handle.result()).toMatchObject({ step: 'active', registration: { phase: 'approved' } });
      const runs: string[] = [];
      for await (const run of h.client.workflow.list({ query: `WorkflowId = '${registrationWorkflowId(tenantId)}'` })) runs.push(run.runId);
      expect(runs).toEqual([started.firstExecutionRunId]);
      await h.client.workflow.getHandle(monitorWorkflowId(tenantId)).terminate('test over');
    } finally {
      await h.close();
    }
  });

  it('ends rejected with Twilio’s reasons when the registration is rejected for good; no monitor starts', async () => {
    const { activities, decided, registration } = fakes();
    registration.plan = { kind: 'tollfree' };
    const final = { code: 30464, description: 'Disallowed: Cryptocurrency' };
    registration.verdicts = { tollfree: [{ outcome: 'failed', correctable: false, reasons: [final] }] };
    const h = await workflowLogicHarness(activities);
    try {
      const handle = await startTenant(h);
      await pastNumber(handle, decided);
      const done = await handle.result();
      expect(done).toMatchObject({ step: 'rejected', reasons: ['Twilio 30464: Disallowed: Cryptocurrency'], registration: { phase: 'rejected' } });
      expect(done.history.map((s) => s.step).slice(-3)).toEqual(['number', 'registration', 'rejected']);
      await expect(h.client.workflow.getHandle(monitorWorkflowId(done.tenantId)).describe()).rejects.toThrow();
    } finally {
      await h.close();
    }
  });

  it('holds a timed-out registration for staff (a case open), refuses a restart when none waits or unaudited, and goes on once restarted', async () => {
    const { activities, decided, registration, log } = fakes();
    registration.verdicts = { customerProfile: [{ outcome: 'pending' }] };
    const h = await workflowLogicHarness(activities);
    try {
      const handle = await startTenant(h, { ...timings, registration: { ...timings.registration!, giveUpAfterMs: 600 } });
      const restart = decided('restart_registration', 'staff:bob', 'Twilio support says the profile is approved now');
      await pastNumber(handle, decided);
      const child = h.client.workflow.getHandle(registrationWorkflowId((await stateOf(handle)).tenantId));
      await childAt(child, 'profile_review');
      expect(await refusal(handle.executeUpdate(restartRegistrationUpdate, { args: [restart] }))).toBe('NotInStep');

      const held = await eventually(async () => {
        const s = await stateOf(handle);
        return s.registration?.held ? s : undefined;
      });
      expect(held).toMatchObject({ step: 'registration', registration: { phase: 'timed_out' }, openRequirements: [expect.stringMatching(/staff/i)] });
      expect(log.faults).toEqual([
        expect.objectContaining({ activity: 'carrierRegistration', step: 'registration', error: expect.stringContaining('customerProfile') }),
      ]);
      expect(await refusal(handle.executeUpdate(restartRegistrationUpdate, { args: [{ by: 'nobody', reason: 'x' }] }))).toBe('InvalidInput');

      // Sent straight to Temporal with no audit entry, or another action's, it changes nothing.
      expect(await refusal(handle.executeUpdate(restartRegistrationUpdate, { args: [{ by: 'staff:mallory', reason: 'no entry' }] }))).toBe(
        'DecisionNotAudited',
      );
      const approval = decided('approve', 'staff:bob', 'not a restart');
      expect(await refusal(handle.executeUpdate(restartRegistrationUpdate, { args: [approval] }))).toBe('DecisionNotAudited');
      expect((await stateOf(handle)).registration?.held).toBeDefined();

      registration.verdicts = {};
      const after = await handle.executeUpdate(restartRegistrationUpdate, { args: [restart] });
      expect(after.step).toBe('registration');
      const done = await handle.result();
      expect(done).toMatchObject({ step: 'active', registration: { phase: 'approved' } });
      expect(log.closedCases).toEqual([{ caseId: held.registration!.held!.caseId, resolution: `registration restarted by staff:bob: ${restart.reason}` }]);
      await h.client.workflow.getHandle(monitorWorkflowId(done.tenantId)).terminate('test over');
    } finally {
      await h.close();
    }
  });
});
