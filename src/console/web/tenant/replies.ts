import type { VNode } from 'preact';
import { useState } from 'preact/hooks';
import { html } from 'htm/preact';
import { apiGet } from '../api';
import { Link } from '../routing';
import { Loading, ProblemMessage, useApiGet, useAction } from '../ui';
import { formatTime } from './format';
import { NotForYourRole, tenantMay } from './role';
import type { ReplyNotification } from './types';
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
  if (!tenantMay('contacts.read')) return html`<${NotForYourRole} why="Replies name people; your role reads reports only." />`;
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
    <ol class="replies" aria-label="Replies from your contacts, newest first">
      ${rows.length ? rows.map((r) => html`<li key=${String(r.id)}><${Reply} reply=${r} /></li>`) : html`<li>No replies yet.</li>`}
    </ol>
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

/** One reply as an inbox entry: who, when, the text, and where it came from. */
function Reply({ reply: r }: { reply: ReplyNotification }): VNode {
  const meta = [`For ${r.user}`, r.optOutRequest ? `possible opt-out (${r.optOutRequest.status})` : null].filter(Boolean).join(' · ');
  return html`<article class="reply">
    <header><strong>${r.contactName ?? 'Unknown contact'}</strong>${` ${r.from} · `}<time datetime=${r.receivedAt}>${formatTime(r.receivedAt)}</time></header>
    <p class="reply-body">${r.body}</p>
    <footer>
      <small>${meta}</small>
      ${r.campaignId ? html`${' · '}<small><${Link} to=${`/tenant/campaigns/${r.campaignId}`}>Campaign it answers<//></small>` : null}
    </footer>
  </article>`;
}
