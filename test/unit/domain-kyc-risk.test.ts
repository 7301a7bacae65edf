import { assessKycRisk, levelForScore, type KycSubmission, type SampleScan } from '../../src/domain/kyc-risk';

const clean: KycSubmission = {
  businessName: 'Bright Smiles Dental',
  website: 'https://brightsmiles.example',
  contactEmail: 'ops@brightsmiles.example',
  useCase: 'appointment_reminders',
  useCaseDescription: 'Appointment reminders for patients who booked online',
  sampleMessages: ['Bright Smiles: your cleaning is Tue 3pm. Reply STOP to opt out.'],
  optInMethod: 'web_form',
  expectedMonthlyVolume: 4000,
  destinationCountries: ['US'],
};
const policy = { approvedCountries: ['US', 'CA'] };
const passes: SampleScan = { blocked: false, findings: [] };
const scanner = (verdicts: Record<string, SampleScan>) => (body: string) => verdicts[body] ?? passes;

describe('KYC risk assessment', () => {
  it.each([
    [0, 'low'],
    [24, 'low'],
    [25, 'medium'],
    [59, 'medium'],
    [60, 'high'],
  ])('a score of %i is %s risk', (score, level) => {
    expect(levelForScore(score)).toBe(level);
  });

  it.each<[string, Partial<KycSubmission>, string[], string]>([
    ['a clean business', {}, [], 'low'],
    ['a free-mail contact', { contactEmail: 'brightsmiles@gmail.com' }, ['identity.free_mail'], 'low'],
    ['no website', { website: null }, ['identity.no_website'], 'low'],
    ['free mail and no website', { contactEmail: 'x@yahoo.com', website: undefined }, ['identity.free_mail', 'identity.no_website'], 'medium'],
    ['a mismatched email domain', { contactEmail: 'a@other.example' }, ['identity.domain_mismatch'], 'low'],
    ['a prohibited use case', { useCase: 'debt_collection' }, ['use_case.prohibited'], 'high'],
    ['a purchased list', { optInMethod: 'purchased_list' }, ['opt_in.purchased_list'], 'high'],
    ['an unapproved country', { destinationCountries: ['US', 'BR'] }, ['countries.not_approved'], 'high'],
    ['big volume with no website', { website: '', expectedMonthlyVolume: 500_000 }, ['identity.no_website', 'volume.unverifiable'], 'medium'],
    ['very high volume', { expectedMonthlyVolume: 2_000_000 }, ['volume.very_high'], 'low'],
    ['verbal opt-in for marketing', { useCase: 'marketing', optInMethod: 'verbal' }, ['opt_in.verbal_marketing'], 'medium'],
  ])('%s', (_label, change, codes, level) => {
    const result = assessKycRisk({ ...clean, ...change }, policy, scanner({}));
    expect(result.reasons.map((r) => r.code)).toEqual(codes);
    expect(result.level).toBe(level);
    expect(result.score).toBe(result.reasons.reduce((s, r) => s + r.points, 0));
  });

  it('rejects a sample message the content scan blocks, quoting its reason', () => {
    const body = 'Fast payday loans, no credit check!';
    const result = assessKycRisk(
      { ...clean, sampleMessages: [clean.sampleMessages[0], body] },
      policy,
      scanner({ [body]: { blocked: true, findings: [{ verdict: 'block', reason: 'Payday loans are prohibited.' }] } }),
    );
    expect(result.level).toBe('high');
    expect(result.reasons).toEqual([expect.objectContaining({ code: 'sample.blocked.2', reason: expect.stringContaining('Payday loans are prohibited.') })]);
  });

  it('only notes a sample message with warnings', () => {
    const body = 'Happy hour at the bar!';
    const result = assessKycRisk(
      { ...clean, sampleMessages: [body] },
      policy,
      scanner({ [body]: { blocked: false, findings: [{ verdict: 'warn', reason: 'Alcohol needs an age gate.' }] } }),
    );
    expect(result.reasons.map((r) => r.code)).toEqual(['sample.warning.1']);
    expect(result.level).toBe('low');
  });

  it("sends a sign-up whose sample needs a person's review to a person", () => {
    const body = 'Happy hour at the bar!';
    const result = assessKycRisk(
      { ...clean, sampleMessages: [body] },
      policy,
      scanner({ [body]: { blocked: true, findings: [{ verdict: 'review', reason: 'Alcohol needs an age gate.' }] } }),
    );
    expect(result.reasons.map((r) => r.code)).toEqual(['sample.review.1']);
    expect(result.level).toBe('medium');
  });

  it('names the countries and approved list in its reason', () => {
    const [reason] = assessKycRisk({ ...clean, destinationCountries: ['us', 'mx'] }, policy, scanner({})).reasons;
    expect(reason.reason).toBe('Destination countries outside the approved list (US, CA): MX.');
  });
});
