import type { VNode } from 'preact';
import { useState } from 'preact/hooks';
import { html } from 'htm/preact';
import { apiGet } from '../api';
import { Link } from '../routing';
import { DataTable, Loading, MessagePage, ProblemMessage, useApiGet } from '../ui';
import { formatTime } from './format';
import { tenantMay } from './role';
import type { ReplyNotification } from './types';
import { useAction } from './use-action';
import { usePolling } from './use-polling';

const PAGE = 50;
/** New replies show up without a reload. */
const POLL_MS = 5000;
type Page = { notifications: ReplyNotification[] };

/**
 * Replies from contacts, newest first (GET /v1/notifications: every free-text reply routed to one
 * of the tenant's users; a user restricted to their assigned contacts sees only theirs). STOP,
 * START and HELP are handled by clearsend and listed in the opt-out report instead.
 */
export function RepliesPage(): VNode {
  if (!tenantMay('contacts.read')) return html`<${MessagePage} title="Not allowed"><p>Replies name people; your role reads reports only.</p><//>`;
  return html`<${Replies} />`;
}

function Replies(): VNode {
  const latest = useApiGet<Page>(`/v1/notifications?limit=${PAGE}`);
  const [older, setOlder] = useState<ReplyNotification[]>([]);
  const [exhausted, setExhausted] = useState(false);
  usePolling(latest.reload, POLL_MS, true);
  const rows = dedupe([...(latest.data?.notifications ?? []), ...older]);
  const loadOlder = useAction(async () => {
    const before = rows[rows.length - 1]?.id;
    const next = await apiGet<Page>(`/v1/notifications?limit=${PAGE}&before=${String(before ?? '')}`);
    setOlder([...older, ...next.notifications]);
    setExhausted(next.notifications.length < PAGE);
    return next;
  });
  if (!latest.data) return latest.error ? html`<${ProblemMessage} error=${latest.error} />` : html`<${Loading} label="Loading replies…" />`;
  return html`
    <${DataTable}
      caption="Replies from your contacts, newest first"
      columns=${[
        { header: 'Received', cell: (r: ReplyNotification) => formatTime(r.receivedAt) },
        { header: 'From', cell: (r: ReplyNotification) => html`${r.contactName ?? 'Unknown contact'}<br /><small>${r.from}</small>` },
        { header: 'Message', cell: (r: ReplyNotification) => html`<span class="reply-body">${r.body}</span>` },
        { header: 'For', cell: (r: ReplyNotification) => r.user },
        {
          header: 'Campaign',
          cell: (r: ReplyNotification) => (r.campaignId ? html`<${Link} to=${`/tenant/campaigns/${r.campaignId}`}>View campaign<//>` : '—'),
        },
        { header: 'Possible opt-out', cell: (r: ReplyNotification) => (r.optOutRequest ? r.optOutRequest.status : '—') },
      ]}
      rows=${rows}
      rowKey=${(r: ReplyNotification) => String(r.id)}
      empty="No replies yet."
    />
    <${ProblemMessage} error=${loadOlder.error} />
    ${
      latest.data.notifications.length === PAGE && !exhausted
        ? html`<button type="button" class="secondary" onClick=${() => void loadOlder.run()} disabled=${loadOlder.busy}>Show older replies</button>`
        : null
    }
  `;
}

/** The first page is re-read while older pages stay: a reply that moved between them shows once. */
function dedupe(rows: ReplyNotification[]): ReplyNotification[] {
  const seen = new Set<string>();
  return rows.filter((r) => !seen.has(String(r.id)) && seen.add(String(r.id)));
}
