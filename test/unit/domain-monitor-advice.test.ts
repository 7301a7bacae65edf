import { DEFAULT_LADDER_POLICY, judgeRate, type RateMeasurement } from '../../src/domain/escalation-ladder';
import { adviceLines, failingRates, topContributors, warnedReminderBody, type CampaignFigures } from '../../src/domain/monitor-advice';
import { adviceForErrorCode, KNOWN_ERROR_CODES } from '../../src/domain/twilio-error-advice';

const judged = (metric: RateMeasurement['metric'], numerator: number, denominator: number, window = '7d') =>
  judgeRate({ metric, window, numerator, denominator }, DEFAULT_LADDER_POLICY);
const campaign = (name: string, f: Partial<CampaignFigures>): CampaignFigures => ({
  campaignId: `id-${name}`,
  name,
  sent: 100,
  refused: 0,
  delivered: 100,
  errors: 0,
  optOuts: 0,
  ...f,
});

describe('Twilio error codes in plain language', () => {
  it.each([
    [30007, 'consent_content', /opted in/],
    [21610, 'opted_out', /remove them/],
    [30004, 'opted_out', /remove them/],
    [30003, 'list_hygiene', /Clean your list/],
    [30005, 'list_hygiene', /Clean your list/],
    [21211, 'list_hygiene', /invalid numbers/],
    [21614, 'list_hygiene', /landlines/],
    [30006, 'list_hygiene', /landlines/],
    [30034, 'registration', /registration/],
    [21611, 'sending', /smaller batches/],
  ])('%i is %s advice', (code, area, advice) => {
    const a = adviceForErrorCode(code);
    expect(a).toMatchObject({ code, area });
    expect(a.advice).toMatch(advice);
    expect(a.meaning.length).toBeGreaterThan(5);
  });

  it('points an unknown code to Twilio’s own page', () => {
    expect(adviceForErrorCode(63016)).toMatchObject({ code: 63016, advice: expect.stringContaining('https://www.twilio.com/docs/api/errors/63016') });
  });

  it('knows each code once', () => {
    expect(new Set(KNOWN_ERROR_CODES).size).toBe(KNOWN_ERROR_CODES.length);
  });
});

describe('what the monitor advises a tenant', () => {
  it.each([
    ['nothing failing', [judged('errorRate', 10, 1000), judged('optOutRate', 1, 1000)], []],
    ['too little traffic', [judged('errorRate', 10, 50)], []],
    ['errors approaching', [judged('errorRate', 50, 1000), judged('optOutRate', 1, 1000)], ['errorRate']],
    ['both, opt-outs bad', [judged('optOutRate', 5, 1000), judged('errorRate', 70, 1000)], ['errorRate', 'optOutRate']],
  ])('%s', (_label, rates, metrics) => {
    expect(failingRates(rates).map((r) => r.metric)).toEqual(metrics);
  });

  it('takes a metric at its worst window', () => {
    const worst = failingRates([judged('errorRate', 50, 1000, '7d'), judged('errorRate', 10, 100, '1d'), judged('errorRate', 7, 100, '1d')]);
    expect(worst).toEqual([expect.objectContaining({ window: '1d', numerator: 10 })]);
  });

  it('ranks the campaigns that add most to a metric, leaving out those that add nothing', () => {
    const campaigns = [
      campaign('Clean', {}),
      campaign('Spring promo', { errors: 5, optOuts: 1 }),
      campaign('Recall', { errors: 9 }),
      campaign('Survey', { optOuts: 3 }),
    ];
    expect(topContributors(campaigns, 'errorRate').map((c) => c.name)).toEqual(['Recall', 'Spring promo']);
    expect(topContributors(campaigns, 'optOutRate').map((c) => c.name)).toEqual(['Survey', 'Spring promo']);
    expect(topContributors(campaigns, 'errorRate', 1).map((c) => c.name)).toEqual(['Recall']);
  });

  it('advises by error code and names the campaigns behind a failing error rate', () => {
    const lines = adviceLines({
      rates: [judged('errorRate', 50, 1000)],
      errorCodes: [
        { code: 21610, n: 20 },
        { code: 30007, n: 30 },
      ],
      campaigns: [campaign('Spring promo', { sent: 600, refused: 20, delivered: 560, errors: 40 }), campaign('Recall', { delivered: 390, errors: 10 })],
    });
    expect(lines).toEqual([
      'Errors by Twilio error code, and what to do:',
      expect.stringMatching(/^- 30007, filtered by the carrier .* \(30\): .*opted in/),
      expect.stringMatching(/^- 21610, the recipient has opted out .* \(20\): .*remove them/),
      'Campaigns with the most errors:',
      '- "Spring promo": 40 errors of 600 messages (6.67 %), 20 refused when sent',
      '- "Recall": 10 errors of 400 messages (2.50 %)',
    ]);
  });

  it('advises on opt-outs and names the campaigns behind them', () => {
    const lines = adviceLines({
      rates: [judged('optOutRate', 5, 1000)],
      errorCodes: [{ code: 30003, n: 4 }],
      campaigns: [campaign('Survey', { delivered: 200, optOuts: 4 }), campaign('Clean', {})],
    });
    expect(lines).toEqual([
      expect.stringMatching(/^Opt-outs: Send only to people who asked/),
      'Campaigns with the most opt-outs:',
      '- "Survey": 4 opt-outs of 200 delivered (2.00 %)',
    ]);
  });

  it('writes a reminder with its number, the current figures and the advice', () => {
    const body = warnedReminderBody(3, {
      rates: [judged('errorRate', 50, 1000)],
      errorCodes: [{ code: 30003, n: 50 }],
      campaigns: [campaign('Recall', { errors: 50, delivered: 950 })],
    });
    expect(body).toMatch(/still "warned" \(reminder 3\)/);
    expect(body).toContain('error rate over the last 7d: 5.00 % (50 of 1000)');
    expect(body).toMatch(/30003, unreachable handset .*Clean your list/);
    expect(body).toContain('"Recall": 50 errors of 1000 messages (5.00 %)');
  });

  it('says so when nothing fails any more, or there is too little traffic to tell', () => {
    expect(warnedReminderBody(2, { rates: [judged('errorRate', 10, 1000)], errorCodes: [], campaigns: [] })).toContain('within the limits right now');
    const quiet = warnedReminderBody(1, { rates: [judged('errorRate', 1, 50)], errorCodes: [], campaigns: [] });
    expect(quiet).toContain('too little recent traffic to judge');
    expect(quiet).toContain('once enough new traffic is judged good');
  });
});
