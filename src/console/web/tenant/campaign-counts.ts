import type { VNode } from 'preact';
import { html } from 'htm/preact';
import { formatCount, formatUsd } from './format';
import type { CampaignReport } from './types';

/**
 * Sent / delivered / failed / opted-out, from the campaign's report (PostgreSQL: every status
 * callback counted). A live region: screen readers hear the figures change while it runs.
 */
export function CampaignCounts({ report, running }: { report: CampaignReport | undefined; running: boolean }): VNode | null {
  if (!report) return null;
  const failed = report.refused.total + report.delivery.failed + report.delivery.undelivered;
  const figures: Array<[string, string, number]> = [
    ['sent', 'Sent', report.sent],
    ['delivered', 'Delivered', report.delivery.delivered],
    ['failed', 'Failed', failed],
    ['opted-out', 'Opted out', report.optOuts.total],
  ];
  const details = [
    `${formatCount(report.recipients)} recipients`,
    `${formatCount(report.dropped.total)} not sent (opted out before, landline, duplicate…)`,
    `${formatCount(report.pending + report.sending)} still queued`,
    `${formatCount(report.delivery.awaiting)} awaiting delivery status`,
    `${formatCount(report.replies)} replies`,
    `cost so far ${formatUsd(report.costEstimateUsd)}`,
  ].join(' · ');
  return html`<section aria-labelledby="counts-heading">
    <h2 id="counts-heading">${running ? 'Progress (updating live)' : 'Outcome'}</h2>
    <dl class="counts grid" aria-live="polite" aria-atomic="true">
      ${figures.map(
        ([key, label, n]) =>
          html`<div key=${key} data-count=${key}>
            <dt>${label}</dt>
            <dd><strong>${formatCount(n)}</strong></dd>
          </div>`,
      )}
    </dl>
    <p><small>${details}</small></p>
  </section>`;
}
