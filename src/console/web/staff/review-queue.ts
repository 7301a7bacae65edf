import type { VNode } from 'preact';
import { useState } from 'preact/hooks';
import { html } from 'htm/preact';
import { Link } from '../routing';
import { DataTable, Loading, ProblemMessage, useApiGet } from '../ui';
import { formatTime, words } from './format';
import type { QueuedReview } from './types';

const STATUSES = ['open', 'approved', 'rejected', 'closed'] as const;

/** `/staff/reviews`: the compliance cases waiting for a person, oldest first; each opens its review. */
export function ReviewQueuePage(): VNode {
  const [status, setStatus] = useState<(typeof STATUSES)[number]>('open');
  const reviews = useApiGet<{ reviews: QueuedReview[] }>(`/v1/compliance/reviews?status=${status}`);
  return html`<section>
    <label>
      Cases
      <select name="status" value=${status} onChange=${(e: Event) => setStatus((e.currentTarget as HTMLSelectElement).value as typeof status)}>
        ${STATUSES.map((s) => html`<option value=${s}>${s}</option>`)}
      </select>
    </label>
    <${ProblemMessage} error=${reviews.error} />
    ${
      reviews.loading && !reviews.data
        ? html`<${Loading} />`
        : html`<${DataTable}
            caption=${`${status[0].toUpperCase()}${status.slice(1)} reviews, oldest first`}
            empty=${`No ${status} reviews.`}
            rows=${reviews.data?.reviews ?? []}
            rowKey=${(r: QueuedReview) => r.id}
            columns=${[
              { header: 'Tenant', cell: (r: QueuedReview) => html`<${Link} to=${`/staff/reviews/${r.tenantId}`}>${r.businessName}<//>` },
              { header: 'Kind', cell: (r: QueuedReview) => words(r.kind) },
              { header: 'Step', cell: (r: QueuedReview) => words(r.step) },
              { header: 'Summary', cell: (r: QueuedReview) => r.summary },
              { header: 'Opened', cell: (r: QueuedReview) => formatTime(r.openedAt) },
              { header: 'Reminders', cell: (r: QueuedReview) => r.remindersSent, numeric: true },
            ]}
          />`
    }
  </section>`;
}
