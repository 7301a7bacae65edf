import type { VNode } from 'preact';
import { html } from 'htm/preact';
import { DataTable } from '../ui';
import { formatTime, words } from './format';
import { HighlightedSample } from './highlighted-sample';
import type { ReviewEvidence } from './types';

/** Answers shown elsewhere on the page (samples) or too long for a list (registration details). */
const NOT_LISTED = new Set(['sampleMessages', 'registration']);

function answerText(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (Array.isArray(value)) return value.map(answerText).join(', ');
  if (typeof value === 'object')
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}: ${answerText(v)}`)
      .join('; ');
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  // Identifiers (use cases, opt-in methods) as words; free text, addresses and URLs as written.
  if (typeof value === 'string') return /^[a-z0-9_]+$/.test(value) ? words(value) : value;
  return typeof value === 'number' ? String(value) : JSON.stringify(value);
}

/** What the tenant answered at KYC, as a definition list. */
export function KycAnswers({ kyc }: { kyc: ReviewEvidence['kyc'] }): VNode {
  if (!kyc)
    return html`<section aria-labelledby="kyc-h">
      <h2 id="kyc-h">KYC answers</h2>
      <p>No KYC submission.</p>
    </section>`;
  const entries = Object.entries(kyc.answers).filter(([k]) => !NOT_LISTED.has(k));
  return html`<section aria-labelledby="kyc-h">
    <h2 id="kyc-h">KYC answers</h2>
    <p><small>Submitted ${formatTime(kyc.submittedAt)}</small></p>
    <dl class="answers">
      ${entries.map(
        ([k, v]) =>
          html`<dt>${words(k.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase())}</dt>
            <dd>${answerText(v)}</dd>`,
      )}
    </dl>
  </section>`;
}

/** The risk rules' score, level and the reasons behind the points. */
export function RiskAssessment({ kyc }: { kyc: ReviewEvidence['kyc'] }): VNode | null {
  if (!kyc) return null;
  const { score, level, reasons } = kyc.risk;
  return html`<section aria-labelledby="risk-h">
    <h2 id="risk-h">Risk</h2>
    <p>Score <strong>${score ?? 'not assessed'}</strong>${level ? html`, level <strong>${level}</strong>` : null}</p>
    ${
      reasons.length
        ? html`<ul>
            ${reasons.map((r) => html`<li><strong>+${r.points}</strong> ${r.reason}</li>`)}
          </ul>`
        : html`<p>No risk reasons.</p>`
    }
  </section>`;
}

/** Whether the owner's phone passed Verify, and the magic-number sandbox sends with Twilio's answers. */
export function VerifyAndSandbox({ review }: { review: ReviewEvidence }): VNode {
  const { verification, sandbox } = review;
  type Send = ReviewEvidence['sandbox']['sends'][number];
  return html`<section aria-labelledby="verify-h">
    <h2 id="verify-h">Verify and sandbox</h2>
    <p>
      ${`Owner phone: ${verification ? (verification.verified ? 'verified' : `not verified (${verification.attemptsLeft} attempts left)`) : 'unknown (no lifecycle run)'}`}
    </p>
    <p>Successful sandbox sends: ${sandbox.successfulSends ?? '—'}${sandbox.required !== null ? ` of ${sandbox.required} required` : ''}</p>
    <${DataTable}
      caption="Sandbox test sends"
      empty="No sandbox sends."
      rows=${sandbox.sends}
      rowKey=${(s: Send) => `${s.sentAt}-${s.to}`}
      columns=${[
        { header: 'To', cell: (s: Send) => s.to },
        { header: 'Result', cell: (s: Send) => (s.errorCode ? `error ${s.errorCode}` : (s.status ?? '—')) },
        { header: 'Message', cell: (s: Send) => s.errorMessage ?? '' },
        { header: 'Sent', cell: (s: Send) => formatTime(s.sentAt) },
      ]}
    />
  </section>`;
}

/** Each KYC sample message with the compliance engine's findings highlighted. */
export function SampleFindings({ samples }: { samples: ReviewEvidence['samples'] }): VNode {
  return html`<section aria-labelledby="samples-h">
    <h2 id="samples-h">Sample messages</h2>
    ${samples.length ? samples.map((s, i) => html`<${HighlightedSample} sample=${s} index=${i} />`) : html`<p>No sample messages.</p>`}
  </section>`;
}
