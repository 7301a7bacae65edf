import type { VNode } from 'preact';
import { html } from 'htm/preact';
import { ApiError } from '../api';
import { Link } from '../routing';
import { Loading, ProblemMessage, TemporalLink, useApiGet } from '../ui';
import { DecisionForm, type Decision } from './decision-form';
import { words } from './format';
import { RateChart } from './rate-chart';
import { Campaigns, LadderMoves, OpenCases, Usage } from './tenant-sections';
import type { MonitorStanding, TenantOverview, TenantRates, UsageDay } from './types';

const SUSPEND: Decision = { name: 'suspend', label: 'Suspend sending', secondary: true };
const REINSTATE: Decision = { name: 'reinstate', label: 'Reinstate' };

/** The decision that fits the monitor's rung; both before there is a monitor (onboarding), when the workflow says which fits. */
const standingDecisions = (monitor: MonitorStanding | undefined): Decision[] =>
  !monitor ? [SUSPEND, REINSTATE] : monitor.state === 'suspended' ? [REINSTATE] : [SUSPEND];

const monitorWindowsText = ({ windowsHours, minVolume }: TenantRates['thresholds']) =>
  `The monitor judges rolling windows of ${windowsHours.join(' and ')} hours, once a window holds at least ${minVolume} messages.`;

/** The monitor answers 404 until the tenant is active (it starts on activation): that is no error to show. */
const noMonitorYet = (error: unknown) => error instanceof ApiError && error.status === 404;

/**
 * `/staff/tenants/:id`: a tenant's standing — error and opt-out rates over the last week with the
 * ladder's thresholds, its moves, open cases, campaigns, usage and cost — and suspend / reinstate.
 */
export function TenantPage({ params }: { params: Record<string, string> }): VNode {
  const base = `/v1/compliance/tenants/${encodeURIComponent(params.id)}`;
  const overview = useApiGet<TenantOverview>(`${base}/overview`);
  const rates = useApiGet<TenantRates>(`${base}/rates?hours=168`);
  const monitor = useApiGet<MonitorStanding>(`${base}/monitor`);
  const usage = useApiGet<{ rows: UsageDay[] }>(`/v1/compliance/usage?tenantId=${encodeURIComponent(params.id)}`);
  if (!overview.data) return overview.error ? html`<${ProblemMessage} error=${overview.error} />` : html`<${Loading} />`;
  const { tenant, workflows, campaigns, openCases } = overview.data;
  const reloadStanding = () => {
    void overview.reload();
    void monitor.reload();
    void rates.reload();
  };
  return html`<article class="tenant">
    <header>
      <h2>${tenant.businessName}</h2>
      <p>
        ${`Step ${words(tenant.step)}, status ${tenant.status}, sending `}<strong data-testid="sending-state">${words(tenant.sendingState)}</strong>${
          monitor.data ? `. Monitor: ${words(monitor.data.state)} after ${monitor.data.evaluations} evaluations.` : '.'
        }
      </p>
      <nav aria-label="About this tenant">
        <ul>
          <li><${TemporalLink} workflowId=${workflows.lifecycle}>Lifecycle run in Temporal<//></li>
          <li><${TemporalLink} workflowId=${workflows.monitor}>Monitor run in Temporal<//></li>
          ${openCases.length ? html`<li><${Link} to=${`/staff/reviews/${tenant.id}`}>Review evidence<//></li>` : null}
        </ul>
      </nav>
    </header>
    ${monitor.error && !noMonitorYet(monitor.error) ? html`<${ProblemMessage} error=${monitor.error} />` : null}

    <section aria-labelledby="rates-h">
      <h2 id="rates-h">Rates, last 7 days</h2>
      <${ProblemMessage} error=${rates.error} />
      ${
        rates.data
          ? html`<${RateChart}
                metric="errorRate"
                name="Error rate"
                over="final messages"
                points=${rates.data.points}
                thresholds=${rates.data.thresholds.errorRate}
                moves=${rates.data.moves}
              />
              <${RateChart}
                metric="optOutRate"
                name="Opt-out rate"
                over="deliveries"
                points=${rates.data.points}
                thresholds=${rates.data.thresholds.optOutRate}
                moves=${rates.data.moves}
              />
              <p><small>${monitorWindowsText(rates.data.thresholds)}</small></p>
              <h3>Ladder moves</h3>
              <${LadderMoves} moves=${rates.data.moves} />`
          : rates.error
            ? null
            : html`<${Loading} />`
      }
    </section>

    <${DecisionForm} tenantId=${tenant.id} legend="Suspend or reinstate sending" decisions=${standingDecisions(monitor.data)} onDecided=${reloadStanding} />

    <section aria-labelledby="cases-h">
      <h2 id="cases-h">Open compliance cases</h2>
      <${OpenCases} cases=${openCases} />
    </section>

    <section aria-labelledby="campaigns-h">
      <h2 id="campaigns-h">Campaigns</h2>
      <${Campaigns} campaigns=${campaigns} />
    </section>

    <section aria-labelledby="usage-h">
      <h2 id="usage-h">Usage and cost</h2>
      <${ProblemMessage} error=${usage.error} />
      ${usage.data ? html`<${Usage} days=${usage.data.rows} />` : usage.error ? null : html`<${Loading} />`}
    </section>
  </article>`;
}
