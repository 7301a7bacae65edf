import { describeRate, type JudgedRate } from './escalation-ladder';
import { adviceForErrorCode } from './twilio-error-advice';

/**
 * What the monitor tells a tenant whose rates are failing: which error codes and which
 * campaigns are behind them, and what to change. Pure: the monitor's activities feed it the
 * figures of an evaluation (rolling counters) and write what it returns as a notice.
 */

/** One campaign's traffic over the monitor's longest window (campaign_traffic_counters). */
export interface CampaignFigures {
  campaignId: string;
  name: string;
  /** Accepted by Twilio. */
  sent: number;
  /** Refused by Twilio when the message was created. */
  refused: number;
  delivered: number;
  /** refused + undelivered + failed. */
  errors: number;
  /** Replies attributed to this campaign that opted out. */
  optOuts: number;
}

export interface EvaluationFigures {
  rates: JudgedRate[];
  errorCodes: Array<{ code: number; n: number }>;
  campaigns: CampaignFigures[];
}

const pct = (n: number, d: number) => (d > 0 ? `${((n / d) * 100).toFixed(2)} %` : 'n/a');
const SHOWN = 3;

export const OPT_OUT_ADVICE =
  'Send only to people who asked for your messages, send less often, and make each message clearly useful and identified with your business name.';

/** The metrics in the approaching or bad band, each at its worst window. */
export function failingRates(rates: readonly JudgedRate[]): JudgedRate[] {
  const order = { bad: 2, approaching: 1 } as const;
  const worst = new Map<JudgedRate['metric'], JudgedRate>();
  for (const r of rates) {
    if (r.band !== 'bad' && r.band !== 'approaching') continue;
    const seen = worst.get(r.metric);
    if (!seen || order[r.band] > order[seen.band as 'bad' | 'approaching'] || (r.band === seen.band && (r.rate ?? 0) > (seen.rate ?? 0)))
      worst.set(r.metric, r);
  }
  return [...worst.values()].sort((a, b) => (a.metric === b.metric ? 0 : a.metric === 'errorRate' ? -1 : 1));
}

/** Campaigns ranked by what they add to a metric's numerator (most first), those adding nothing left out. */
export function topContributors(campaigns: readonly CampaignFigures[], metric: JudgedRate['metric'], limit = SHOWN): CampaignFigures[] {
  const part = (c: CampaignFigures) => (metric === 'errorRate' ? c.errors : c.optOuts);
  return campaigns
    .filter((c) => part(c) > 0)
    .sort((a, b) => part(b) - part(a) || a.name.localeCompare(b.name))
    .slice(0, limit);
}

/** Advice lines for what is failing: per error code and per campaign; empty when nothing fails. */
export function adviceLines(figures: EvaluationFigures): string[] {
  const lines: string[] = [];
  for (const rate of failingRates(figures.rates)) {
    if (rate.metric === 'errorRate') {
      const codes = [...figures.errorCodes].sort((a, b) => b.n - a.n).slice(0, SHOWN);
      if (codes.length) {
        lines.push('Errors by Twilio error code, and what to do:');
        for (const { code, n } of codes) {
          const a = adviceForErrorCode(code);
          lines.push(`- ${code}, ${a.meaning} (${n}): ${a.advice}`);
        }
      }
      const campaigns = topContributors(figures.campaigns, 'errorRate');
      if (campaigns.length) {
        lines.push('Campaigns with the most errors:');
        for (const c of campaigns)
          lines.push(
            `- "${c.name}": ${c.errors} errors of ${c.delivered + c.errors} messages (${pct(c.errors, c.delivered + c.errors)})${c.refused ? `, ${c.refused} refused when sent` : ''}`,
          );
      }
    } else {
      lines.push(`Opt-outs: ${OPT_OUT_ADVICE}`);
      const campaigns = topContributors(figures.campaigns, 'optOutRate');
      if (campaigns.length) {
        lines.push('Campaigns with the most opt-outs:');
        for (const c of campaigns) lines.push(`- "${c.name}": ${c.optOuts} opt-outs of ${c.delivered} delivered (${pct(c.optOuts, c.delivered)})`);
      }
    }
  }
  return lines;
}

export const REMINDER_TITLE = 'Reminder: your messaging is still approaching a compliance limit';

/** The body of the n-th reminder to a warned tenant, with the evaluation's current figures. */
export function warnedReminderBody(reminder: number, figures: EvaluationFigures): string {
  const judged = figures.rates.filter((r) => r.band !== 'unjudged');
  const advice = adviceLines(figures);
  return [
    `Your account is still "warned" (reminder ${reminder}). Current figures:`,
    ...(judged.length ? judged.map((r) => `- ${describeRate(r)}`) : ['- too little recent traffic to judge your rates']),
    ...(advice.length
      ? advice
      : [
          judged.length
            ? 'Your rates are within the limits right now; the warning lifts once they stay good.'
            : 'The warning lifts once enough new traffic is judged good.',
        ]),
    'If a rate stays in the bad band, new campaigns are held for a compliance review.',
  ].join('\n');
}
