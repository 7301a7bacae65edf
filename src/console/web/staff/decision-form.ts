import type { VNode } from 'preact';
import { useState } from 'preact/hooks';
import { html } from 'htm/preact';
import { apiSend } from '../api';
import { ProblemMessage, useAction } from '../ui';

/** A staff decision the API takes at `POST /v1/compliance/tenants/:id/<name>` with a reason. */
export interface Decision {
  name: 'approve' | 'reject' | 'suspend' | 'reinstate';
  label: string;
  /** Drawn as a secondary (outline) button: the one that takes something away. */
  secondary?: boolean;
}

interface DecisionAnswer {
  action: string;
  step?: string;
  suspended?: boolean;
  from?: string;
  state?: string;
}

/** The API's own minimum for a reason (staffActionSchema): the browser says so before sending. */
const MIN_REASON = 3;

function outcome(label: string, answer: DecisionAnswer): string {
  if (answer.state) return `${label}: the tenant moved from ${answer.from ?? '?'} to ${answer.state}.`;
  if (answer.step) return `${label}: the tenant is now at step ${answer.step}${answer.suspended ? ' (suspended)' : ''}.`;
  return `${label}: done.`;
}

/**
 * A note every decision needs, and one button per decision. Each goes through the existing staff
 * route (the workflow's Update, audited with the note); a refusal (409: not in this step) is
 * shown as the API words it, and nothing changed.
 */
export function DecisionForm({
  tenantId,
  decisions,
  legend,
  onDecided,
}: {
  tenantId: string;
  decisions: Decision[];
  legend: string;
  onDecided?: () => void;
}): VNode {
  const [note, setNote] = useState('');
  const [label, setLabel] = useState('');
  const action = useAction((decision: Decision, reason: string) =>
    apiSend<DecisionAnswer>('POST', `/v1/compliance/tenants/${encodeURIComponent(tenantId)}/${decision.name}`, { reason }),
  );
  const noteId = `decision-note-${tenantId}`;
  const onSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    const name = (event.submitter as HTMLButtonElement | null)?.value;
    const decision = decisions.find((d) => d.name === name) ?? decisions[0];
    setLabel(decision.label);
    const answer = await action.run(decision, note.trim());
    if (answer) {
      setNote('');
      onDecided?.();
    }
  };
  return html`<form class="decision" onSubmit=${onSubmit} aria-busy=${action.busy ? 'true' : undefined}>
    <fieldset>
      <legend>${legend}</legend>
      <label for=${noteId}>Note (required, kept in the audit log)</label>
      <textarea
        id=${noteId}
        name="reason"
        required
        minlength=${MIN_REASON}
        maxlength="2000"
        rows="3"
        value=${note}
        onInput=${(e: Event) => setNote((e.currentTarget as HTMLTextAreaElement).value)}
      ></textarea>
    </fieldset>
    <div class="grid">
      ${decisions.map(
        (d) =>
          html`<button type="submit" name="decision" value=${d.name} class=${d.secondary ? 'secondary' : undefined} disabled=${action.busy}>
            ${d.label}
          </button>`,
      )}
    </div>
    <${ProblemMessage} error=${action.error} />
    ${action.result ? html`<p role="status">${outcome(label, action.result)}</p>` : null}
  </form>`;
}
