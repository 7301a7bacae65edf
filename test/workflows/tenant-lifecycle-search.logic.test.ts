import type { WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { KycAssessment } from '../../src/domain/kyc-risk';
import { ComplianceStateAttribute, OnboardingStepAttribute } from '../../src/workflows/search-attributes';
import {
  areaCodeChosenSignal,
  kycResubmittedSignal,
  staffDecisionUpdates,
  submitVerificationCodeUpdate,
} from '../../src/workflows/tenant-lifecycle/definitions';
import { monitorWorkflowId } from '../../src/workflows/tenant-monitor/definitions';
import { recordHistoryIfAsked } from '../support/histories';
import { atStep, codeSent, fakes, low, startTenant, stateOf, throughSandbox } from '../support/lifecycle-logic';
import { eventually, workflowLogicHarness } from '../support/workflow-logic';

/** The run's ComplianceState and OnboardingStep as Temporal holds them now. */
async function shown(handle: WorkflowHandle) {
  const attributes = (await handle.describe()).typedSearchAttributes;
  return { ComplianceState: attributes.get(ComplianceStateAttribute), OnboardingStep: attributes.get(OnboardingStepAttribute) };
}

/**
 * What each UpsertWorkflowSearchAttributes event in the run's history set of the workflow's own
 * attributes, in order (the SDK's TemporalChangeVersion upserts, one a patch, left out).
 */
async function upserts(handle: WorkflowHandle): Promise<Array<Record<string, unknown>>> {
  const { events } = await handle.fetchHistory();
  return (events ?? []).flatMap((event) => {
    const fields = Object.entries(event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {}).filter(
      ([name]) => name !== 'TemporalChangeVersion',
    );
    return fields.length ? [Object.fromEntries(fields.map(([name, payload]) => [name, defaultPayloadConverter.fromPayload(payload)]))] : [];
  });
}

describe('tenantLifecycle search attributes', () => {
  it('names the step in OnboardingStep, the standing in ComplianceState, and upserts each only when it changes', async () => {
    const high: KycAssessment = {
      score: 100,
      level: 'high',
      reasons: [{ code: 'use_case.prohibited', points: 100, reason: 'Debt collection is not allowed.' }],
    };
    const { activities, decided } = fakes([high, low]);
    const h = await workflowLogicHarness(activities);
    try {
      const handle = await startTenant(h);
      await atStep(handle, 'rejected');
      expect(await shown(handle)).toEqual({ ComplianceState: 'rejected', OnboardingStep: 'rejected' });
      await handle.signal(kycResubmittedSignal);

      // A suspension changes the standing; the step stays where it was.
      await codeSent(handle);
      expect(await shown(handle)).toEqual({ ComplianceState: 'onboarding', OnboardingStep: 'verification' });
      const { tenantId } = await stateOf(handle);
      // What the Temporal UI's filter asks (visibility follows the run a moment later).
      await eventually(
        async () => {
          for await (const run of h.client.workflow.list({
            query: `TenantId = '${tenantId}' AND OnboardingStep = 'verification' AND ComplianceState = 'onboarding'`,
          }))
            return run.workflowId === handle.workflowId;
          return false;
        },
        { describe: 'the run listed by OnboardingStep and ComplianceState' },
      );
      await handle.executeUpdate(staffDecisionUpdates.suspend, { args: [decided('suspend', 'staff:carol', 'complaint received')] });
      expect(await shown(handle)).toEqual({ ComplianceState: 'suspended', OnboardingStep: 'verification' });
      await handle.executeUpdate(staffDecisionUpdates.reinstate, { args: [decided('reinstate', 'staff:carol', 'complaint resolved')] });
      expect(await shown(handle)).toEqual({ ComplianceState: 'onboarding', OnboardingStep: 'verification' });

      // Each of these changes what the run asks for (shown in its details) and nothing searchable.
      await handle.executeUpdate(submitVerificationCodeUpdate, { args: [{ code: '123456' }] });
      await throughSandbox(handle);
      await eventually(async () => (await stateOf(handle)).review);
      await handle.executeUpdate(staffDecisionUpdates.approve, { args: [decided('approve', 'staff:alice', 'checked the business registry')] });
      // The scripted number search has nothing without an area code: the tenant is asked for one.
      await eventually(async () => (await stateOf(handle)).openRequirements.length > 0 && (await stateOf(handle)).step === 'number');
      await handle.signal(areaCodeChosenSignal, { areaCode: '415' });
      const done = await handle.result();
      expect(done.step).toBe('active');
      expect(await shown(handle)).toEqual({ ComplianceState: 'active', OnboardingStep: 'active' });

      expect(await upserts(handle)).toEqual([
        { ComplianceState: 'onboarding', OnboardingStep: 'kyc' },
        { ComplianceState: 'rejected', OnboardingStep: 'rejected' },
        { ComplianceState: 'onboarding', OnboardingStep: 'kyc' },
        { OnboardingStep: 'verification' },
        { ComplianceState: 'suspended' },
        { ComplianceState: 'onboarding' },
        { OnboardingStep: 'sandbox' },
        { OnboardingStep: 'review' },
        { OnboardingStep: 'provisioning' },
        { OnboardingStep: 'number' },
        { OnboardingStep: 'registration' },
        { ComplianceState: 'active', OnboardingStep: 'active' },
      ]);
      await recordHistoryIfAsked(h.client, handle.workflowId, 'onboarding-step-search-attribute');
      await h.client.workflow.getHandle(monitorWorkflowId(done.tenantId)).terminate('test over');
    } finally {
      await h.close();
    }
  });
});
