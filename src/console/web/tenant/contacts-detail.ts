import type { VNode } from 'preact';
import { html } from 'htm/preact';
import { apiSend } from '../api';
import { DataTable, Loading, ProblemMessage, useApiGet } from '../ui';
import { CONSENT_PURPOSES } from '../../../domain/consent';
import { METHOD_LABELS } from './contacts-consent-fields';
import { consentSummary, purposeState } from './contacts-consent-summary';
import { ContactErasure } from './contacts-erasure';
import { RecordConsentForm } from './contacts-record-consent';
import type { ConsentRecordView, ContactView } from './contacts-types';
import { formatTime } from './format';
import { NotForYourRole, tenantMay } from './role';

type ConsentsAnswer = { contactId: string; history: ConsentRecordView[] };

/** One contact (GET /v1/contacts/:id): details, custom fields, consent history; record consent, withdraw it, erase. */
export function ContactDetailPage({ params }: { params: Record<string, string> }): VNode {
  if (!tenantMay('contacts.read')) return html`<${NotForYourRole} why="Contacts are personal data; your role reads reports only." />`;
  return html`<${ContactDetail} id=${params.id} />`;
}

function ContactDetail({ id }: { id: string }): VNode {
  const contact = useApiGet<ContactView>(`/v1/contacts/${encodeURIComponent(id)}`);
  const consents = useApiGet<ConsentsAnswer>(`/v1/contacts/${encodeURIComponent(id)}/consents`);
  if (!contact.data) return contact.error ? html`<${ProblemMessage} error=${contact.error} />` : html`<${Loading} label="Loading the contact…" />`;
  const c = contact.data;
  const history = consents.data?.history ?? c.consent.history;
  const fields = Object.entries(c.fields ?? {});
  return html`
    <section aria-labelledby="contact-heading">
      <h2 id="contact-heading">${c.name ?? c.phone}</h2>
      <dl class="contact-facts">
        <dt>Number</dt>
        <dd>${c.phone}</dd>
        <dt>Assigned to</dt>
        <dd>${c.assignedUser}</dd>
        <dt>Tags</dt>
        <dd>${c.tags.join(', ') || '—'}</dd>
        <dt>Added</dt>
        <dd>${formatTime(c.createdAt)}</dd>
        ${fields.map(
          ([name, value]) =>
            html`<dt key=${`f-${name}`}>${name}</dt>
              <dd key=${`v-${name}`}>${value}</dd>`,
        )}
      </dl>
    </section>
    <section aria-labelledby="consent-heading">
      <h2 id="consent-heading">Consent</h2>
      <div role="status" aria-live="polite"><p>Consent now: ${consentSummary(history)}.</p></div>
      <ul>
        ${CONSENT_PURPOSES.map((p) => html`<li key=${p}>${p}: ${purposeState(history, p)}</li>`)}
      </ul>
      <${DataTable}
        caption="Consent history, oldest first"
        columns=${HISTORY_COLUMNS}
        rows=${history}
        rowKey=${(r: ConsentRecordView) => r.id}
        empty="No consent recorded: marketing texts skip this contact."
      />
      <${ProblemMessage} error=${consents.error} />
      ${tenantMay('consents.write') ? html`<${RecordConsentForm} contactId=${c.id} onRecorded=${() => void Promise.all([consents.reload(), contact.reload()])} />` : null}
    </section>
    ${tenantMay('contacts.erase') ? html`<${ContactErasure} contactId=${c.id} erase=${(reason: string) => apiSend('POST', `/v1/contacts/${c.id}/erasure`, reason ? { reason } : {})} />` : null}
  `;
}

const HISTORY_COLUMNS = [
  { header: 'When', cell: (r: ConsentRecordView) => formatTime(r.occurredAt) },
  { header: 'Event', cell: (r: ConsentRecordView) => r.status },
  { header: 'Purposes', cell: (r: ConsentRecordView) => r.purposes.join(', ') },
  { header: 'How', cell: (r: ConsentRecordView) => (r.method ? METHOD_LABELS[r.method] : '—') },
  { header: 'Source', cell: (r: ConsentRecordView) => r.source ?? '—' },
  { header: 'Words shown', cell: (r: ConsentRecordView) => r.wording ?? '—' },
  { header: 'Recorded by', cell: (r: ConsentRecordView) => r.recordedBy },
];
