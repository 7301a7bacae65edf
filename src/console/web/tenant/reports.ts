import type { VNode } from 'preact';
import { useState } from 'preact/hooks';
import { html } from 'htm/preact';
import { DataTable, Loading, ProblemMessage, useApiGet } from '../ui';
import { formatCount, isoToday, words } from './format';
import { tenantMay } from './role';
import type { DailyReport } from './types';

const DAY_MS = 86_400_000;
const daysBefore = (day: string, n: number) => new Date(Date.parse(day) - n * DAY_MS).toISOString().slice(0, 10);

/**
 * CSV downloads of the report routes (plain links: the session cookie goes with them), and the
 * chosen day's figures on the page. Opt-outs and contacts name people: only roles that read
 * personal data get those links.
 */
export function ReportsPage(): VNode {
  const [day, setDay] = useState(isoToday());
  const [range, setRange] = useState({ from: daysBefore(isoToday(), 29), to: isoToday() });
  const daily = useApiGet<DailyReport>(`/v1/reports/daily?date=${day}`);
  const d = daily.data;
  const figures: Array<[string, number]> = d
    ? [
        ['Sent', d.sends],
        ['Segments', d.segments],
        ['Delivered', d.deliveries],
        ['Undelivered', d.undelivered],
        ['Failed', d.failed],
        ['Refused by Twilio', d.refused],
        ['Replies', d.replies],
        ['Opt-outs', d.optOuts],
        ['Opt-ins', d.optIns],
      ]
    : [];
  return html`
    <section aria-labelledby="daily-heading">
      <h2 id="daily-heading">Daily summary</h2>
      <label for="daily-date">Day</label>
      <input
        id="daily-date"
        type="date"
        value=${day}
        max=${isoToday()}
        onChange=${(e: Event) => setDay((e.currentTarget as HTMLInputElement).value || isoToday())}
      />
      ${
        d
          ? html`<p>${d.date} (${d.timeZone}) · sending ${words(d.complianceState)} · ${d.campaignsStarted.length} campaigns started</p>
              <${DataTable}
                caption=${`Figures for ${d.date}`}
                columns=${[
                  { header: 'Figure', cell: ([label]: [string, number]) => label },
                  { header: 'Count', cell: ([, n]: [string, number]) => formatCount(n), numeric: true },
                ]}
                rows=${figures}
                rowKey=${([label]: [string, number]) => label}
              />`
          : daily.error
            ? null
            : html`<${Loading} label="Loading the day’s figures…" />`
      }
      <${ProblemMessage} error=${daily.error} />
      <p><a href=${`/v1/reports/daily?date=${day}&format=csv`} download=${`daily-${day}.csv`}>Download the daily summary for ${day} (CSV)</a></p>
    </section>
    ${
      tenantMay('contacts.read')
        ? html`<section aria-labelledby="optouts-heading">
              <h2 id="optouts-heading">Opt-outs</h2>
              <div class="grid">
                <div>
                  <label for="optouts-from">From</label>
                  <input
                    id="optouts-from"
                    type="date"
                    value=${range.from}
                    max=${range.to}
                    onChange=${(e: Event) => setRange({ ...range, from: (e.currentTarget as HTMLInputElement).value })}
                  />
                </div>
                <div>
                  <label for="optouts-to">To</label>
                  <input
                    id="optouts-to"
                    type="date"
                    value=${range.to}
                    max=${isoToday()}
                    onChange=${(e: Event) => setRange({ ...range, to: (e.currentTarget as HTMLInputElement).value })}
                  />
                </div>
              </div>
              <p>
                <a href=${`/v1/reports/opt-outs?from=${range.from}&to=${range.to}&format=csv`} download=${`opt-outs-${range.from}-${range.to}.csv`}>
                  Download opt-outs from ${range.from} to ${range.to} (CSV)
                </a>
              </p>
            </section>
            <section aria-labelledby="contacts-heading">
              <h2 id="contacts-heading">Contacts</h2>
              <p>Every contact you may see, with consent history.</p>
              <p><a href="/v1/contacts?format=csv" download="contacts.csv">Download contacts (CSV)</a></p>
            </section>`
        : html`<p><small>Opt-out and contact exports name people; your role reads figures only.</small></p>`
    }
    <p><small>Each campaign’s recipient report is on its own page. Every CSV download is recorded in your account’s audit log.</small></p>
  `;
}
