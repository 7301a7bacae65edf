import type { VNode } from 'preact';
import { useState } from 'preact/hooks';
import { html } from 'htm/preact';
import { Link } from '../routing';
import { DataTable, Loading, ProblemMessage, TemporalLink, useApiGet } from '../ui';
import { formatTime, words } from './format';
import type { TenantSummary } from './types';

/** `/staff/tenants`: every tenant, newest first, found by part of its name; each opens its tenant page. */
export function TenantListPage(): VNode {
  const [typed, setTyped] = useState('');
  const [query, setQuery] = useState('');
  const tenants = useApiGet<{ tenants: TenantSummary[] }>(`/v1/compliance/tenants?limit=200${query ? `&q=${encodeURIComponent(query)}` : ''}`);
  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    setQuery(typed.trim());
  };
  return html`<section>
    <form role="search" onSubmit=${onSubmit}>
      <label for="tenant-search">Business name</label>
      <fieldset role="group">
        <input id="tenant-search" type="search" name="q" value=${typed} onInput=${(e: Event) => setTyped((e.currentTarget as HTMLInputElement).value)} />
        <button type="submit">Search</button>
      </fieldset>
    </form>
    <${ProblemMessage} error=${tenants.error} />
    ${
      tenants.loading && !tenants.data
        ? html`<${Loading} />`
        : html`<${DataTable}
            caption=${query ? `Tenants named like “${query}”, newest first` : 'Tenants, newest first'}
            empty="No tenants."
            rows=${tenants.data?.tenants ?? []}
            rowKey=${(t: TenantSummary) => t.id}
            columns=${[
              { header: 'Business', cell: (t: TenantSummary) => html`<${Link} to=${`/staff/tenants/${t.id}`}>${t.businessName}<//>` },
              { header: 'Step', cell: (t: TenantSummary) => words(t.step) },
              { header: 'Status', cell: (t: TenantSummary) => t.status },
              { header: 'Sending', cell: (t: TenantSummary) => words(t.sendingState) },
              { header: 'Signed up', cell: (t: TenantSummary) => formatTime(t.createdAt) },
              { header: 'Temporal', cell: (t: TenantSummary) => (t.workflowId ? html`<${TemporalLink} workflowId=${t.workflowId}>Lifecycle run<//>` : '—') },
            ]}
          />`
    }
  </section>`;
}
