import { registeredThroughput } from '../../../src/domain/registered-throughput';
import { rateLimitsJson, throughputClass } from '../../../src/sandbox/registration-magic';

/**
 * The class → limits table (README, "Throughput from the registration"): what each approved
 * registration sets as its sender's MPS and daily cap, from the campaign's rate_limits as the
 * sandbox gives them, from Twilio's own rate_limits shape (no daily_cap), and the fixed classes.
 */
describe('registeredThroughput', () => {
  it.each([
    ['score 75–100', 80, { throughputClass: 'TOP (AT&T A)', mps: 75, dailyCap: 200_000 }],
    ['score 50–74', 60, { throughputClass: 'HIGH_MID (AT&T C)', mps: 40, dailyCap: 40_000 }],
    ['score 25–49', 30, { throughputClass: 'LOW_MID (AT&T E)', mps: 4, dailyCap: 10_000 }],
    ['score 0–24', 10, { throughputClass: 'LOW (AT&T E)', mps: 4, dailyCap: 2_000 }],
    ['low-volume standard (no score)', null, { throughputClass: 'LOW (AT&T T)', mps: 4, dailyCap: 2_000 }],
  ] as const)('a standard brand, %s, as the sandbox answers', (_, score, limits) => {
    const rateLimits = rateLimitsJson(throughputClass(score === null ? 'LOW_VOLUME_STANDARD' : 'STANDARD', score));
    expect(registeredThroughput({ kind: '10dlc', brandType: 'STANDARD', rateLimits })).toEqual(limits);
  });

  it.each([
    [
      'class and tier only',
      { att: { msg_class: 'C' }, tmobile: { brand_tier: 'HIGH_MID' } },
      { throughputClass: 'HIGH_MID (AT&T C)', mps: 40, dailyCap: 40_000 },
    ],
    ['low-volume class T', { att: { msg_class: 'T' }, tmobile: { brand_tier: 'LOW' } }, { throughputClass: 'LOW (AT&T T)', mps: 1, dailyCap: 2_000 }],
    [
      'an MPS above what clearsend paces',
      { att: { mps: 50_000, msg_class: 'A' }, tmobile: { brand_tier: 'TOP' } },
      { throughputClass: 'TOP (AT&T A)', mps: 10_000, dailyCap: 200_000 },
    ],
    [
      'a tier T-Mobile’s table lacks',
      { att: { mps: 75, msg_class: 'A' }, tmobile: { brand_tier: 'UNCAPPED' } },
      { throughputClass: 'UNCAPPED (AT&T A)', mps: 75, dailyCap: null },
    ],
    ['nothing readable', { verizon: {} }, { throughputClass: 'LOW', mps: 1, dailyCap: 2_000 }],
    ['no rate_limits at all', undefined, { throughputClass: 'LOW', mps: 1, dailyCap: 2_000 }],
    ['nonsense values', { att: { mps: -3, msg_class: 7 }, tmobile: { daily_cap: 'lots' } }, { throughputClass: 'LOW', mps: 1, dailyCap: 2_000 }],
  ] as const)('Twilio’s rate_limits with %s', (_, rateLimits, limits) => {
    expect(registeredThroughput({ kind: '10dlc', brandType: 'STANDARD', rateLimits: rateLimits })).toEqual(limits);
  });

  it('a sole proprietor: 1 MPS and 1,000 a day whatever the campaign says', () => {
    const rateLimits = rateLimitsJson(throughputClass('STANDARD', 90));
    expect(registeredThroughput({ kind: '10dlc', brandType: 'SOLE_PROPRIETOR', rateLimits })).toEqual({
      throughputClass: 'SOLE_PROPRIETOR',
      mps: 1,
      dailyCap: 1_000,
    });
  });

  it('a verified toll-free number: Twilio’s default 3 MPS, no daily cap', () => {
    expect(registeredThroughput({ kind: 'tollfree' })).toEqual({ throughputClass: 'TOLL_FREE_VERIFIED', mps: 3, dailyCap: null });
  });
});
