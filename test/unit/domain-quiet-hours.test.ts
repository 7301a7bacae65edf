import { quietHoursVerdict, recipientZone, utcOffsetMinutes } from '../../src/domain/quiet-hours';

describe('quiet hours', () => {
  const NY = ['America/New_York'];
  const LA = ['America/Los_Angeles'];
  const TOLL_FREE = ['America/New_York', 'America/Los_Angeles', 'Pacific/Honolulu'];
  const UK = ['Europe/Guernsey', 'Europe/Isle_of_Man', 'Europe/London'];

  it.each([
    // at (UTC), number zones, tenant zone, allowed, zone used, opens at (UTC)
    ['2026-07-01T12:00:00Z', NY, 'America/Chicago', true, 'America/New_York', undefined], // 08:00 EDT: first minute allowed
    ['2026-07-01T11:59:00Z', NY, 'America/Chicago', false, 'America/New_York', '2026-07-01T12:00:00.000Z'], // 07:59 EDT
    ['2026-07-02T00:59:00Z', NY, 'America/Chicago', true, 'America/New_York', undefined], // 20:59 EDT
    ['2026-07-02T01:00:00Z', NY, 'America/Chicago', false, 'America/New_York', '2026-07-02T12:00:00.000Z'], // 21:00 EDT: closed until 8
    ['2026-07-02T01:00:00Z', LA, 'America/New_York', true, 'America/Los_Angeles', undefined], // 18:00 PDT
    ['2026-01-15T13:00:00Z', NY, 'America/Chicago', true, 'America/New_York', undefined], // 08:00 EST (winter offset)
    ['2026-01-15T12:30:00Z', NY, 'America/Chicago', false, 'America/New_York', '2026-01-15T13:00:00.000Z'],
    ['2026-07-01T12:00:00Z', TOLL_FREE, 'America/Chicago', false, 'America/Chicago', '2026-07-01T13:00:00.000Z'], // zones disagree: tenant's
    ['2026-07-01T07:30:00Z', UK, 'America/New_York', true, 'Europe/Guernsey', undefined], // 08:30 BST, all UK zones agree
    ['2026-07-01T12:00:00Z', null, 'Europe/Berlin', true, 'Europe/Berlin', undefined], // number tells nothing
    ['2026-07-01T12:00:00Z', [], 'Asia/Tokyo', false, 'Asia/Tokyo', '2026-07-01T23:00:00.000Z'], // 21:00 JST
  ] as const)('at %s for %j (tenant %s): allowed %s in %s', (at, zones, tenantZone, allowed, zone, opensAt) => {
    const verdict = quietHoursVerdict(new Date(at), zones, tenantZone);
    expect(verdict.allowed).toBe(allowed);
    expect(verdict.zone).toBe(zone);
    expect(verdict.opensAt?.toISOString()).toBe(opensAt);
  });

  it('takes a custom window, including the whole day', () => {
    expect(quietHoursVerdict(new Date('2026-07-01T07:00:00Z'), NY, 'UTC', { startHour: 0, endHour: 24 }).allowed).toBe(true);
    expect(quietHoursVerdict(new Date('2026-07-01T14:00:00Z'), NY, 'UTC', { startHour: 9, endHour: 10 }).allowed).toBe(false);
  });

  it('says where the zone came from', () => {
    expect(recipientZone(NY, 'UTC', new Date()).zoneFrom).toBe('number');
    expect(recipientZone(TOLL_FREE, 'UTC', new Date()).zoneFrom).toBe('tenant');
  });

  it.each([
    ['America/New_York', '2026-07-01T12:00:00Z', -240],
    ['America/New_York', '2026-01-01T12:00:00Z', -300],
    ['Asia/Kolkata', '2026-01-01T12:00:00Z', 330],
    ['UTC', '2026-01-01T12:00:00Z', 0],
  ])('%s at %s is %i minutes off UTC', (zone, at, minutes) => {
    expect(utcOffsetMinutes(zone, new Date(at))).toBe(minutes);
  });
});
