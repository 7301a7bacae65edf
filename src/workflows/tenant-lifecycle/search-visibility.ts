import { patched, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { ComplianceStateAttribute, OnboardingStepAttribute } from '../search-attributes';
import { standingAt, type TenantLifecycleState } from './definitions';

/** Patch: runs that started before it upserted ComplianceState (the step's name) each time they showed anything. */
const ONBOARDING_STEP_ATTRIBUTE = 'onboarding-step-search-attribute';

/**
 * Where the tenant stands, in Temporal's visibility: ComplianceState is its standing
 * (onboarding, suspended, rejected, active) and OnboardingStep its step. An upsert is an event
 * in the history, so each is upserted only when its value changes; the values already shown
 * are the run's own search attributes (a run continued as new starts with its predecessor's).
 */
export function showInSearch(state: Pick<TenantLifecycleState, 'step' | 'suspended'>): void {
  if (!patched(ONBOARDING_STEP_ATTRIBUTE)) {
    upsertSearchAttributes([{ key: ComplianceStateAttribute, value: state.suspended ? 'suspended' : state.step }]);
    return;
  }
  const shown = workflowInfo().typedSearchAttributes;
  const wanted: SearchAttributeUpdatePair[] = [
    { key: ComplianceStateAttribute, value: state.suspended ? 'suspended' : standingAt(state.step) },
    { key: OnboardingStepAttribute, value: state.step },
  ];
  const changed = wanted.filter((pair) => shown.get(pair.key) !== pair.value);
  if (changed.length) upsertSearchAttributes(changed);
}
