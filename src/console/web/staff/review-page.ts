import type { VNode } from 'preact';
import { html } from 'htm/preact';
import { Link } from '../routing';
import { Loading, ProblemMessage, TemporalLink, useApiGet } from '../ui';
import { DecisionForm } from './decision-form';
import { formatTime, words } from './format';
import { KycAnswers, RiskAssessment, SampleFindings, VerifyAndSandbox } from './review-evidence';
import type { ReviewEvidence } from './types';

const REVIEW_DECISIONS = [
  { name: 'approve', label: 'Approve' },
  { name: 'reject', label: 'Reject', secondary: true },
] as const;

/** `/staff/reviews/:id`: one tenant's review — its open case, KYC, risk, Verify, sandbox and samples — and the decision. */
export function ReviewPage({ params }: { params: Record<string, string> }): VNode {
  const tenantId = params.id;
  const review = useApiGet<ReviewEvidence>(`/v1/compliance/tenants/${encodeURIComponent(tenantId)}/review`);
  if (!review.data) return review.error ? html`<${ProblemMessage} error=${review.error} />` : html`<${Loading} />`;
  const { tenant, cases, lifecycle } = review.data;
  const open = cases.find((c) => c.status === 'open');
  return html`<article class="review">
    <header>
      <h2>${tenant.businessName}</h2>
      <p>${`Step ${words(tenant.step)}, status ${tenant.status}, sending ${words(tenant.sendingState)}${lifecycle?.suspended ? ' (suspended)' : ''}.`}</p>
      <nav aria-label="About this tenant">
        <ul>
          <li><${Link} to=${`/staff/tenants/${tenant.id}`}>Tenant page<//></li>
          <li><${TemporalLink} workflowId=${review.data.workflows.lifecycle}>Lifecycle run in Temporal<//></li>
        </ul>
      </nav>
    </header>
    <section aria-labelledby="case-h">
      <h2 id="case-h">Case</h2>
      ${
        open
          ? html`<p><strong>${words(open.kind)}</strong>: ${open.summary}. Opened ${formatTime(open.openedAt)}, ${open.remindersSent} reminders.</p>`
          : html`<p>No open case for this tenant.</p>`
      }
    </section>
    <${RiskAssessment} kyc=${review.data.kyc} />
    <${SampleFindings} samples=${review.data.samples} />
    <${DecisionForm} tenantId=${tenant.id} legend="Decide this review" decisions=${REVIEW_DECISIONS} onDecided=${() => void review.reload()} />
    <${KycAnswers} kyc=${review.data.kyc} />
    <${VerifyAndSandbox} review=${review.data} />
  </article>`;
}
