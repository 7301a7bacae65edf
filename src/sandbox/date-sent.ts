import type { SandboxMessage } from './store';
import { twilioErrors } from './twilio-error';

/**
 * The Messages list's DateSent filters as Twilio takes them (api v2010, Message read:
 * `DateSent`, `DateSent<`, `DateSent>`). A GMT date `YYYY-MM-DD` counts by day: `DateSent`
 * that day, `DateSent<` on and before it, `DateSent>` on and after it. A date and time, as
 * the twilio library sends a JavaScript Date (`2026-12-03T06:40:00Z`), or the other formats
 * Twilio's examples show (`2019-06-11 22:05:25.000`, `Wed, 19 Jun 2019 22:04:00 -0000`,
 * `06/11/2019 22:05:25 MST`), counts to the instant: `DateSent<` at or before it, `DateSent>`
 * at or after it, `DateSent` within the same GMT day; date_sent counts to the second, as
 * Twilio keeps it. Anything else is Twilio's 400 (20001). (The OpenAPI document types these
 * parameters `date-time`, so a sandbox enforcing the contract flags the other formats.) A
 * message not yet sent is filtered by when it was created.
 */
type Bound = { kind: 'day'; start: number } | { kind: 'instant'; at: number };

const DAY_MS = 86_400_000;

function boundOf(name: string, value: string): Bound {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const start = Date.parse(`${value}T00:00:00Z`);
    if (!Number.isNaN(start)) return { kind: 'day', start };
  } else {
    // A date and time without a zone is GMT, as Twilio reads it.
    const gmt = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value) ? `${value.replace(' ', 'T')}Z` : value;
    const at = Date.parse(gmt);
    if (!Number.isNaN(at)) return { kind: 'instant', at };
  }
  throw twilioErrors.invalidParameter(name, value);
}

export function dateSentFilter(q: Record<string, unknown>): (m: SandboxMessage) => boolean {
  const text = (name: string) => {
    const v = q[name];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw twilioErrors.invalidParameter(name, JSON.stringify(v));
    return boundOf(name, v);
  };
  const on = text('DateSent');
  const before = text('DateSent<');
  const after = text('DateSent>');
  const dayStart = (b: Bound) => (b.kind === 'day' ? b.start : Math.floor(b.at / DAY_MS) * DAY_MS);
  return (m) => {
    // Twilio keeps date_sent to the second (its representation has no fraction).
    const sent = Math.floor((m.dateSent ?? m.dateCreated).getTime() / 1000) * 1000;
    if (on && (sent < dayStart(on) || sent >= dayStart(on) + DAY_MS)) return false;
    if (before && sent > (before.kind === 'day' ? before.start + DAY_MS - 1 : before.at)) return false;
    if (after && sent < (after.kind === 'day' ? after.start : after.at)) return false;
    return true;
  };
}
