import type { VNode } from 'preact';
import { useState } from 'preact/hooks';
import { html } from 'htm/preact';
import { apiGet } from '../api';
import { Link } from '../routing';
import { DataTable, Loading, ProblemMessage, useApiGet, useAction } from '../ui';
import { formatTime, words } from './format';
import { tenantMay } from './role';
import type { CampaignSummary } from './types';

const PAGE = 50;
type Page = { campaigns: CampaignSummary[] };

/** The tenant's campaigns, newest first, a page at a time. */
export function CampaignListPage(): VNode {
  const first = useApiGet<Page>(`/v1/campaigns?limit=${PAGE}`);
  const [more, setMore] = useState<CampaignSummary[]>([]);
  const [exhausted, setExhausted] = useState(false);
  const rows = [...(first.data?.campaigns ?? []), ...more];
  const loadMore = useAction(async () => {
    const before = rows[rows.length - 1]?.createdAt;
    const next = await apiGet<Page>(`/v1/campaigns?limit=${PAGE}&before=${encodeURIComponent(before ?? '')}`);
    setMore([...more, ...next.campaigns]);
    setExhausted(next.campaigns.length < PAGE);
    return next;
  });
  return html`
    ${tenantMay('campaigns.write') ? html`<p><${Link} to="/tenant/campaigns/new">New campaign<//></p>` : null}
    ${
      first.data
        ? html`<${DataTable}
            caption="Your campaigns, newest first"
            columns=${[
              { header: 'Name', cell: (c: CampaignSummary) => html`<${Link} to=${`/tenant/campaigns/${c.id}`}>${c.name}<//>` },
              { header: 'Status', cell: (c: CampaignSummary) => words(c.status) + (c.contentReview === 'pending' ? ' (awaiting review)' : '') },
              { header: 'Type', cell: (c: CampaignSummary) => c.messageType },
              { header: 'Created', cell: (c: CampaignSummary) => formatTime(c.createdAt) },
              { header: 'Finished', cell: (c: CampaignSummary) => formatTime(c.finishedAt) },
            ]}
            rows=${rows}
            rowKey=${(c: CampaignSummary) => c.id}
            empty="No campaigns yet."
          />`
        : first.error
          ? null
          : html`<${Loading} label="Loading campaigns…" />`
    }
    <${ProblemMessage} error=${first.error ?? loadMore.error} />
    ${
      first.data && first.data.campaigns.length === PAGE && !exhausted
        ? html`<button type="button" class="secondary" onClick=${() => void loadMore.run()} disabled=${loadMore.busy}>Show older campaigns</button>`
        : null
    }
  `;
}
