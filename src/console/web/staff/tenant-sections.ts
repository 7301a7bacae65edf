import type { VNode } from 'preact';
import { html } from 'htm/preact';
import { DataTable, TemporalLink } from '../ui';
import { formatCount, formatTime, formatUsd, words } from './format';
import type { CampaignRow, LadderMoveRow, TenantOverview, UsageDay } from './types';

/** The ladder's moves in the charts' period, oldest first: who moved the tenant, from where to where, and why. */
export function LadderMoves({ moves }: { moves: readonly LadderMoveRow[] }): VNode {
  return html`<${DataTable}
    caption="Ladder moves in this period"
    empty="No ladder moves in this period."
    rows=${moves}
    rowKey=${(m: LadderMoveRow) => String(m.seq)}
    columns=${[
      { header: 'When', cell: (m: LadderMoveRow) => formatTime(m.at) },
      { header: 'Move', cell: (m: LadderMoveRow) => `${words(m.from)} → ${words(m.to)}` },
      { header: 'Why', cell: (m: LadderMoveRow) => m.why },
      { header: 'By', cell: (m: LadderMoveRow) => m.actor },
      { header: 'Reason', cell: (m: LadderMoveRow) => m.reason ?? '' },
    ]}
  />`;
}

type OpenCase = TenantOverview['openCases'][number];

export function OpenCases({ cases }: { cases: TenantOverview['openCases'] }): VNode {
  return html`<${DataTable}
    caption="Open compliance cases"
    empty="No open compliance cases."
    rows=${cases}
    rowKey=${(c: OpenCase) => c.id}
    columns=${[
      { header: 'Kind', cell: (c: OpenCase) => words(c.kind) },
      { header: 'Summary', cell: (c: OpenCase) => c.summary },
      { header: 'Opened', cell: (c: OpenCase) => formatTime(c.openedAt) },
      { header: 'Reminders', cell: (c: OpenCase) => c.remindersSent, numeric: true },
    ]}
  />`;
}

/** The tenant's latest campaigns with their counts, each linked to its run in the Temporal UI. */
export function Campaigns({ campaigns }: { campaigns: readonly CampaignRow[] }): VNode {
  return html`<${DataTable}
    caption="Campaigns, newest first"
    empty="No campaigns."
    rows=${campaigns}
    rowKey=${(c: CampaignRow) => c.id}
    columns=${[
      { header: 'Campaign', cell: (c: CampaignRow) => html`<${TemporalLink} workflowId=${c.workflowId}>${c.name}<//>` },
      { header: 'Status', cell: (c: CampaignRow) => c.status },
      { header: 'Started', cell: (c: CampaignRow) => formatTime(c.startedAt) },
      { header: 'Sent', cell: (c: CampaignRow) => formatCount(c.sent), numeric: true },
      { header: 'Delivered', cell: (c: CampaignRow) => formatCount(c.delivered), numeric: true },
      { header: 'Errors', cell: (c: CampaignRow) => formatCount(c.errors), numeric: true },
      { header: 'Opt-outs', cell: (c: CampaignRow) => formatCount(c.optOuts), numeric: true },
    ]}
  />`;
}

/** Messages, segments and estimated cost per day (the billing figures, `GET /v1/compliance/usage`). */
export function Usage({ days }: { days: readonly UsageDay[] }): VNode {
  const total = days.reduce((sum, d) => ({ messages: sum.messages + d.messages, segments: sum.segments + d.segments, cost: sum.cost + d.costEstimateUsd }), {
    messages: 0,
    segments: 0,
    cost: 0,
  });
  return html`<p>${`Last 30 days: ${formatCount(total.messages)} messages, ${formatCount(total.segments)} segments, about ${formatUsd(total.cost)}.`}</p>
    <${DataTable}
      caption="Usage per day (UTC)"
      empty="No messages sent in the last 30 days."
      rows=${days}
      rowKey=${(d: UsageDay) => d.day}
      columns=${[
        { header: 'Day', cell: (d: UsageDay) => d.day },
        { header: 'Messages', cell: (d: UsageDay) => formatCount(d.messages), numeric: true },
        { header: 'Segments', cell: (d: UsageDay) => formatCount(d.segments), numeric: true },
        { header: 'Cost (estimate)', cell: (d: UsageDay) => formatUsd(d.costEstimateUsd), numeric: true },
      ]}
    />`;
}
