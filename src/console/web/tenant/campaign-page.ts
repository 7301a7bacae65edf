import type { VNode } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from 'htm/preact';
import { apiSend } from '../api';
import { Loading, ProblemMessage, useApiGet, useAction } from '../ui';
import { CampaignCounts } from './campaign-counts';
import { formatTime, words } from './format';
import { tenantMay } from './role';
import { FindingList, HighlightedBody } from './scan-preview';
import type { Campaign, CampaignReport } from './types';
import { usePolling } from './use-polling';

const RUNNING = new Set(['preparing', 'relaying', 'waiting']);
/** How often a running campaign's status and counts are read again. */
const POLL_MS = 1500;

/** One campaign: status, live counts while it runs, cancel, start (a draft), the report download. */
export function CampaignPage({ params }: { params: Record<string, string> }): VNode {
  const id = params.id;
  const campaign = useApiGet<Campaign>(`/v1/campaigns/${encodeURIComponent(id)}`);
  const report = useApiGet<CampaignReport>(`/v1/campaigns/${encodeURIComponent(id)}/report`);
  const c = campaign.data;
  const running = c !== undefined && RUNNING.has(c.status);
  // Until the campaign is final: its answer says when it ends, the report's figures keep up with callbacks.
  usePolling(async () => Promise.all([campaign.reload(), report.reload()]), POLL_MS, running);
  // The poll that saw it end read the report alongside: read the final figures once more.
  const wasRunning = useRef(false);
  useEffect(() => {
    if (wasRunning.current && !running) void report.reload();
    wasRunning.current = running;
  }, [running]);
  if (!c) return campaign.error ? html`<${ProblemMessage} error=${campaign.error} />` : html`<${Loading} label="Loading the campaign…" />`;
  const reloadBoth = async () => {
    await Promise.all([campaign.reload(), report.reload()]);
  };
  return html`
    <h2 class="campaign-name">${c.name}</h2>
    <p role="status" aria-live="polite" data-testid="campaign-status">
      Status: <strong>${words(c.status)}</strong>${c.progress?.held ? ` (held: ${c.progress.held})` : ''}${
        c.progress?.nextBatchAtMs && running ? ` · next batch ${formatTime(new Date(c.progress.nextBatchAtMs).toISOString())}` : ''
      }
    </p>
    ${c.refusalReason ? html`<p>Refused: ${c.refusalReason}</p>` : null}
    <${CampaignCounts} report=${report.data} running=${running} />
    <${ProblemMessage} error=${report.error} />
    <${CampaignActions} campaign=${c} onChanged=${reloadBoth} />
    <dl>
      <dt>Type</dt>
      <dd>${c.messageType}</dd>
      <dt>Audience</dt>
      <dd>${c.audienceTag ? `contacts tagged “${c.audienceTag}”` : 'all your contacts'}</dd>
      <dt>Created</dt>
      <dd>${formatTime(c.createdAt)}</dd>
      <dt>Started</dt>
      <dd>${formatTime(c.startedAt)}</dd>
      <dt>Finished</dt>
      <dd>${formatTime(c.finishedAt)}</dd>
      ${
        c.contentReview
          ? html`<dt>Compliance review</dt>
              <dd>${c.contentReview.status}${c.contentReview.reason ? `: ${c.contentReview.reason}` : ''}</dd>`
          : null
      }
    </dl>
    ${
      c.body !== null
        ? html`<section aria-labelledby="text-heading">
            <h2 id="text-heading">Message</h2>
            <${HighlightedBody} body=${c.body} findings=${c.scan?.findings ?? []} />
            <${FindingList} findings=${c.scan?.findings ?? []} />
          </section>`
        : null
    }
  `;
}

/** Start (a draft), cancel (while it runs, after a confirmation) and the recipient report, as the role allows. */
function CampaignActions({ campaign, onChanged }: { campaign: Campaign; onChanged: () => Promise<void> }): VNode {
  const [confirming, setConfirming] = useState(false);
  const mayChange = tenantMay('campaigns.write');
  const start = useAction(async () => {
    await apiSend('POST', `/v1/campaigns/${campaign.id}/start`);
    await onChanged();
    return true;
  });
  const cancel = useAction(async () => {
    await apiSend('POST', `/v1/campaigns/${campaign.id}/cancel`);
    setConfirming(false);
    await onChanged();
    return true;
  });
  const running = RUNNING.has(campaign.status);
  return html`<div class="campaign-actions">
    ${
      mayChange && campaign.status === 'draft'
        ? html`<button type="button" onClick=${() => void start.run()} disabled=${start.busy} aria-busy=${start.busy ? 'true' : undefined}>
            Start sending
          </button>`
        : null
    }
    ${mayChange && running && !confirming ? html`<button type="button" class="secondary" onClick=${() => setConfirming(true)}>Cancel campaign</button>` : null}
    ${
      mayChange && running && confirming
        ? html`<div role="group" aria-label="Confirm cancelling">
            <p>Stop sending? Messages already sent stay sent.</p>
            <button type="button" class="contrast" onClick=${() => void cancel.run()} disabled=${cancel.busy}>Yes, cancel it</button>
            <button type="button" class="secondary" onClick=${() => setConfirming(false)}>Keep sending</button>
          </div>`
        : null
    }
    ${cancel.result && running ? html`<p role="status">Cancel requested: the campaign stops before its next batch.</p>` : null}
    ${
      tenantMay('contacts.read') && campaign.status !== 'draft'
        ? html`<p>
            <a href=${`/v1/campaigns/${campaign.id}/report?format=csv`} download=${`campaign-${campaign.id}.csv`}>Download the recipient report (CSV)</a>
          </p>`
        : null
    }
    <${ProblemMessage} error=${start.error ?? cancel.error} />
  </div>`;
}
