import type { VNode } from 'preact';
import { html } from 'htm/preact';
import { Link } from '../routing';
import { ProblemMessage, useApiGet } from '../ui';
import { formatCount, words } from './format';
import { RecentNotices } from './notices';
import { tenantMay } from './role';
import type { DailyReport, TenantState } from './types';

/** An active tenant's home: its number, where it stands with the monitor, and today's figures. */
export function AccountSummary({ state }: { state: TenantState }): VNode {
  const today = useApiGet<DailyReport>('/v1/reports/daily');
  const d = today.data;
  return html`<section aria-labelledby="account-heading">
    <article>
      <header><h2 id="account-heading">Your account is active</h2></header>
      <dl class="figures">
        <div>
          <dt>Your number</dt>
          <dd>${state.phoneNumber ?? '—'}</dd>
        </div>
        <div>
          <dt>Sending</dt>
          <dd>${state.suspended ? 'suspended' : d ? words(d.complianceState) : '…'}</dd>
        </div>
        ${
          d
            ? html`<div>
                  <dt>Sent today</dt>
                  <dd>${formatCount(d.sends)}</dd>
                </div>
                <div>
                  <dt>Delivered today</dt>
                  <dd>${formatCount(d.deliveries)}</dd>
                </div>
                <div>
                  <dt>Replies today</dt>
                  <dd>${formatCount(d.replies)}</dd>
                </div>
                <div>
                  <dt>Opt-outs today</dt>
                  <dd>${formatCount(d.optOuts)}</dd>
                </div>`
            : null
        }
      </dl>
      <${ProblemMessage} error=${today.error} />
      <footer>
        ${tenantMay('campaigns.write') ? html`<${Link} to="/tenant/campaigns/new">New campaign<//> · ` : null}
        <${Link} to="/tenant/campaigns">Your campaigns<//>
      </footer>
    </article>
    <${RecentNotices} />
  </section>`;
}
