import type { VNode } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { html } from 'htm/preact';
import { apiGet } from '../api';
import { Link } from '../routing';
import { DataTable, Loading, ProblemMessage, useAction } from '../ui';
import { formatTime } from './format';
import type { AuditEntry } from './types';

const PAGE_SIZE = 50;

const auditPath = (tenantId: string, before?: number) =>
  `/v1/compliance/audit?limit=${PAGE_SIZE}${tenantId ? `&tenantId=${encodeURIComponent(tenantId)}` : ''}${before ? `&before=${before}` : ''}`;

/** The details column, short and wrappable: `key: value` pairs (nested values as compact JSON), cut at 160 characters. */
function detailsText(details: unknown): string {
  if (!details || typeof details !== 'object') return '';
  const text = Object.entries(details as Record<string, unknown>)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join('; ');
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}

/**
 * `/staff/audit`: the audit log newest first, optionally one tenant's, 50 at a time; "Older
 * entries" pages on with `before` (the last id shown). Staff reads are left out, as the API does.
 */
export function AuditLogPage(): VNode {
  const [tenantFilter, setTenantFilter] = useState('');
  const [applied, setApplied] = useState('');
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [more, setMore] = useState(false);
  const page = useAction((tenantId: string, before?: number) => apiGet<{ entries: AuditEntry[] }>(auditPath(tenantId, before)));
  const load = async (tenantId: string, before?: number) => {
    const answer = await page.run(tenantId, before);
    if (!answer) return;
    setEntries((shown) => (before ? [...shown, ...answer.entries] : answer.entries));
    setMore(answer.entries.length === PAGE_SIZE);
  };
  useEffect(() => {
    void load(applied);
  }, [applied]);
  const onFilter = (event: SubmitEvent) => {
    event.preventDefault();
    setApplied(tenantFilter.trim());
  };
  return html`<section>
    <form onSubmit=${onFilter}>
      <label for="audit-tenant">Tenant id (optional)</label>
      <fieldset role="group">
        <input id="audit-tenant" name="tenantId" value=${tenantFilter} onInput=${(e: Event) => setTenantFilter((e.currentTarget as HTMLInputElement).value)} />
        <button type="submit">Filter</button>
      </fieldset>
    </form>
    <${ProblemMessage} error=${page.error} />
    ${
      page.busy && entries.length === 0
        ? html`<${Loading} />`
        : html`<${DataTable}
            caption=${applied ? `Audit entries of tenant ${applied}, newest first` : 'Audit entries, newest first'}
            empty="No audit entries."
            rows=${entries}
            rowKey=${(e: AuditEntry) => String(e.id)}
            columns=${[
              { header: 'When', cell: (e: AuditEntry) => html`<span style=${{ whiteSpace: 'nowrap' }}>${formatTime(e.at)}</span>` },
              { header: 'Actor', cell: (e: AuditEntry) => e.actor },
              { header: 'Action', cell: (e: AuditEntry) => e.action },
              {
                header: 'Tenant',
                cell: (e: AuditEntry) => (e.tenantId ? html`<${Link} to=${`/staff/tenants/${e.tenantId}`}>${e.tenantId.slice(0, 8)}<//>` : '—'),
              },
              { header: 'Reason', cell: (e: AuditEntry) => e.reason ?? '' },
              { header: 'Details', cell: (e: AuditEntry) => html`<small>${detailsText(e.details)}</small>` },
            ]}
          />`
    }
    ${
      more
        ? html`<button type="button" class="secondary" disabled=${page.busy} onClick=${() => void load(applied, entries[entries.length - 1]?.id)}>
            Older entries
          </button>`
        : null
    }
  </section>`;
}
