import type { VNode } from 'preact';
import { html } from 'htm/preact';
import { ProblemMessage, useApiGet } from '../ui';
import { formatTime } from './format';

interface Notice {
  id: string | number;
  kind: string;
  title: string;
  body: string;
  createdAt: string;
}

/** What clearsend's monitor told the tenant lately (warnings about error or opt-out rates, reviews), newest first. */
export function RecentNotices({ limit = 5 }: { limit?: number }): VNode {
  const notices = useApiGet<{ notices: Notice[] }>(`/v1/notices?limit=${limit}`);
  const list = notices.data?.notices ?? [];
  return html`<section aria-labelledby="notices-heading">
    <h2 id="notices-heading">Notices from clearsend</h2>
    ${notices.data && !list.length ? html`<p>No notices: your sending is in good standing.</p>` : null}
    ${
      list.length
        ? html`<ul>
            ${list.map(
              (n) =>
                html`<li key=${String(n.id)}>
                  <strong>${n.title}</strong>${` (${formatTime(n.createdAt)})`}
                  <p>${n.body}</p>
                </li>`,
            )}
          </ul>`
        : null
    }
    <${ProblemMessage} error=${notices.error} />
  </section>`;
}
