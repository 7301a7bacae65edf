/**
 * Quiet hours: a recipient may be texted only between 8:00 and 21:00 in their own time zone
 * (TCPA and most carriers' rules). The zone is the one the number tells (its area code); when
 * the number maps to zones that disagree at that moment (toll-free, a multi-zone country) it
 * tells nothing and the tenant's own zone is used.
 */
export interface SendingWindow {
  /** First allowed local hour (inclusive). */
  startHour: number;
  /** First forbidden local hour (exclusive end of the window). */
  endHour: number;
}

export const DEFAULT_SENDING_WINDOW: SendingWindow = { startHour: 8, endHour: 21 };

export interface QuietHoursVerdict {
  allowed: boolean;
  zone: string;
  zoneFrom: 'number' | 'tenant';
  /** When not allowed: the next moment the window opens in that zone. */
  opensAt?: Date;
}

/** Minutes east of UTC for `zone` at `at` (Intl does the tz database; no I/O). */
export function utcOffsetMinutes(zone: string, at: Date): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  return Math.round((asUtc - Math.floor(at.getTime() / 60_000) * 60_000) / 60_000);
}

/** The zone a recipient is in, as far as the number's zones agree at `at`. */
export function recipientZone(
  numberZones: readonly string[] | null | undefined,
  tenantZone: string,
  at: Date,
): { zone: string; zoneFrom: 'number' | 'tenant' } {
  if (numberZones?.length) {
    const offsets = new Set(numberZones.map((z) => utcOffsetMinutes(z, at)));
    if (offsets.size === 1) return { zone: numberZones[0], zoneFrom: 'number' };
  }
  return { zone: tenantZone, zoneFrom: 'tenant' };
}

export function quietHoursVerdict(
  at: Date,
  numberZones: readonly string[] | null | undefined,
  tenantZone: string,
  window: SendingWindow = DEFAULT_SENDING_WINDOW,
): QuietHoursVerdict {
  const { zone, zoneFrom } = recipientZone(numberZones, tenantZone, at);
  const offset = utcOffsetMinutes(zone, at);
  const localMinutes = (((Math.floor(at.getTime() / 60_000) + offset) % 1440) + 1440) % 1440;
  const start = window.startHour * 60;
  const end = window.endHour * 60;
  if (localMinutes >= start && localMinutes < end) return { allowed: true, zone, zoneFrom };
  const minutesUntilOpen = (start - localMinutes + 1440) % 1440;
  const opensAt = new Date((Math.floor(at.getTime() / 60_000) + minutesUntilOpen) * 60_000);
  return { allowed: false, zone, zoneFrom, opensAt };
}
