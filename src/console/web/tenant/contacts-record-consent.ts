import type { VNode } from 'preact';
import { useState } from 'preact/hooks';
import { html } from 'htm/preact';
import { apiSend } from '../api';
import { ProblemMessage, formFields, useAction } from '../ui';
import { ConsentFields, consentOfFields, PurposeBoxes, purposesOf } from './contacts-consent-fields';
import { fieldErrorsOf } from './contacts-field-errors';

type Kind = 'granted' | 'withdrawn';

const WITHDRAW_LABELS = { marketing: 'Marketing', transactional: 'Transactional', conversational: 'Conversational' };

/**
 * Records a new consent or a withdrawal (POST /v1/contacts/:id/consents). Each is a new row of the
 * history; nothing recorded before is changed.
 */
export function RecordConsentForm({ contactId, onRecorded }: { contactId: string; onRecorded: () => void }): VNode {
  const [kind, setKind] = useState<Kind>('withdrawn');
  const record = useAction(async (form: HTMLFormElement, fields: Record<string, string>) => {
    const purposes = purposesOf(form);
    const body =
      kind === 'withdrawn'
        ? { status: 'withdrawn', purposes, ...(fields.withdrawalSource?.trim() ? { source: fields.withdrawalSource.trim() } : {}) }
        : { status: 'granted', ...consentOfFields(fields, purposes) };
    await apiSend('POST', `/v1/contacts/${contactId}/consents`, body);
    onRecorded();
    return kind;
  });
  const errors = fieldErrorsOf(record.error);
  return html`<form onSubmit=${(e: SubmitEvent) => void record.run(e.currentTarget as HTMLFormElement, formFields(e))} aria-labelledby="record-consent-heading">
    <h3 id="record-consent-heading">Record consent or a withdrawal</h3>
    <fieldset>
      <legend>What happened</legend>
      <label
        ><input type="radio" name="kind" value="withdrawn" checked=${kind === 'withdrawn'} onChange=${() => setKind('withdrawn')} /> They withdrew
        consent</label
      >
      <label><input type="radio" name="kind" value="granted" checked=${kind === 'granted'} onChange=${() => setKind('granted')} /> They gave consent</label>
    </fieldset>
    ${
      kind === 'granted'
        ? html`<${ConsentFields} idPrefix="grant" errors=${errors} legend="The consent" />`
        : html`<${PurposeBoxes}
              legend="Message types they no longer want"
              initial="marketing"
              labels=${WITHDRAW_LABELS}
              errors=${errors}
              errorId="withdraw-purposes"
            />
            <label for="withdraw-source">How they asked (optional: “phone call”, “email of 3 Dec”)</label>
            <input id="withdraw-source" name="withdrawalSource" maxlength="2000" />`
    }
    <button type="submit" disabled=${record.busy} aria-busy=${record.busy ? 'true' : undefined}>
      ${kind === 'withdrawn' ? 'Record withdrawal' : 'Record consent'}
    </button>
    <div role="status" aria-live="polite">
      ${record.result && !record.error ? html`<p>${record.result === 'withdrawn' ? 'Withdrawal recorded.' : 'Consent recorded.'}</p>` : null}
    </div>
    <${ProblemMessage} error=${record.error} />
  </form>`;
}
