import type { VNode } from 'preact';
import { html } from 'htm/preact';
import { DataTable, Loading, ProblemMessage, useApiGet } from '../ui';
import { AccountSummary } from './account-summary';
import { KycResubmitForm } from './kyc-form';
import { RegistrationDetailsForm } from './registration-form';
import { AreaCodeForm, SandboxSendForm, VerificationForm } from './onboarding-forms';
import { formatTime, withoutApiHint, words } from './format';
import { tenantIdOfSession, tenantMay } from './role';
import type { LifecycleStep, TenantState } from './types';
import { usePolling } from './use-polling';

/** The onboarding steps in order, as a tenant reads them. */
const STEPS: Array<[LifecycleStep, string]> = [
  ['kyc', 'Application vetting'],
  ['verification', 'Phone verification'],
  ['sandbox', 'Sandbox test sends'],
  ['review', 'Compliance review'],
  ['provisioning', 'Account set-up'],
  ['number', 'Phone number'],
  ['registration', 'Carrier registration'],
  ['active', 'Active'],
];
/** Steps shown as another step of the list: a KYC review is part of vetting. */
const SHOWN_AS: Partial<Record<LifecycleStep, LifecycleStep>> = { kyc_review: 'kyc' };

/** Where onboarding stands: re-read every 2 s while the lifecycle still moves on its own. */
const POLL_MS = 2000;

/** The tenant's home: onboarding progress and what to do next, or, once active, its number and today's figures. */
export function OnboardingPage(): VNode {
  const tenantId = tenantIdOfSession();
  const state = useApiGet<TenantState>(`/v1/tenants/${tenantId}`);
  const s = state.data;
  usePolling(state.reload, POLL_MS, s !== undefined && s.step !== 'active' && s.step !== 'rejected');
  if (!s) return state.error ? html`<${ProblemMessage} error=${state.error} />` : html`<${Loading} label="Loading your onboarding…" />`;
  return html`
    ${s.step === 'active' ? html`<${AccountSummary} state=${s} />` : html`<${WaitingOn} state=${s} tenantId=${tenantId} reload=${state.reload} />`}
    <${StepList} state=${s} />
    <section aria-labelledby="history-heading">
      <h2 id="history-heading">Step history</h2>
      <${DataTable}
        caption="Steps your account went through, oldest first"
        columns=${[
          { header: 'Step', cell: (r: TenantState['history'][number]) => words(r.step) },
          { header: 'When', cell: (r: TenantState['history'][number]) => formatTime(r.at) },
          { header: 'Note', cell: (r: TenantState['history'][number]) => r.note ?? '' },
        ]}
        rows=${s.history}
        rowKey=${(r: TenantState['history'][number]) => `${r.step}-${r.at}`}
      />
    </section>
  `;
}

/** The step it waits on, in words, and the form that answers it (for roles that may). */
function WaitingOn({ state, tenantId, reload }: { state: TenantState; tenantId: string; reload: () => Promise<void> }): VNode {
  const label = STEPS.find(([step]) => step === (SHOWN_AS[state.step] ?? state.step))?.[1] ?? words(state.step);
  const mayAct = tenantMay('onboarding');
  const asksAreaCode = state.step === 'number' && state.openRequirements.some((r) => /area code/i.test(r));
  const props = { tenantId, state, onChanged: reload };
  const form =
    !mayAct || state.suspended
      ? null
      : state.step === 'verification' && !state.verification.verified
        ? html`<${VerificationForm} ...${props} />`
        : state.step === 'sandbox' && tenantMay('campaigns.write')
          ? html`<${SandboxSendForm} ...${props} />`
          : asksAreaCode
            ? html`<${AreaCodeForm} ...${props} />`
            : state.step === 'rejected'
              ? html`<${KycResubmitForm} tenantId=${tenantId} onChanged=${reload} />`
              : state.step === 'registration' && state.registration?.phase === 'details_missing'
                ? html`<${RegistrationDetailsForm} tenantId=${tenantId} onChanged=${reload} />`
                : null;
  return html`<section aria-labelledby="waiting-heading">
    <article>
      <header>
        <h2 id="waiting-heading">${state.step === 'rejected' ? 'Your application was rejected' : `Now: ${label}`}</h2>
      </header>
      ${state.suspended ? html`<p><strong>Your account is suspended.</strong> Compliance staff will contact you.</p>` : null}
      ${
        state.openRequirements.length
          ? html`<p>What happens next:</p>
              <ul>
                ${state.openRequirements.map((r) => html`<li>${withoutApiHint(r)}</li>`)}
              </ul>`
          : html`<p>Nothing to do: this step runs on its own.</p>`
      }
      ${
        state.reasons.length
          ? html`<p>Why:</p>
              <ul>
                ${state.reasons.map((r) => html`<li>${r}</li>`)}
              </ul>`
          : null
      }
      ${state.fault ? html`<p>This step is retrying after a problem on our side; the next attempt is at ${formatTime(state.fault.nextAttemptAt)}.</p>` : null}
      ${!mayAct && state.openRequirements.length ? html`<p><small>An admin of your account answers these steps.</small></p>` : null}
    </article>
    ${form}
  </section>`;
}

/** The steps as an ordered list, the current one marked for assistive technology too. */
function StepList({ state }: { state: TenantState }): VNode {
  const current = SHOWN_AS[state.step] ?? state.step;
  const at = STEPS.findIndex(([step]) => step === current);
  return html`<section aria-labelledby="steps-heading">
    <h2 id="steps-heading">Onboarding steps</h2>
    <ol class="steps">
      ${STEPS.map(([step, label], i) => {
        const where = step === current ? 'current' : at >= 0 && i < at ? 'done' : 'todo';
        return html`<li key=${step} class=${`step-${where}`} aria-current=${where === 'current' ? 'step' : undefined}>
          ${label} <small>(${where === 'current' ? 'current step' : where === 'done' ? 'done' : 'to come'})</small>
        </li>`;
      })}
    </ol>
  </section>`;
}
