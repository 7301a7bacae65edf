import {
  applyStaffDecision,
  DEFAULT_LADDER_POLICY as policy,
  INITIAL_LADDER,
  judgeRate,
  overallBand,
  stepLadder,
  type Band,
  type LadderMemory,
  type LadderState,
  type StaffDecision,
} from '../../src/domain/escalation-ladder';

describe('judging a rate against Twilio-derived thresholds', () => {
  it.each([
    // metric, failures/opt-outs, volume, band
    ['errorRate', 0, 1000, 'good'],
    ['errorRate', 45, 1000, 'good'], // 4.5 %: still good
    ['errorRate', 50, 1000, 'approaching'], // 5 %
    ['errorRate', 60, 1000, 'approaching'], // exactly 6 % is good by Twilio, approaching here
    ['errorRate', 61, 1000, 'bad'], // 6.1 %
    ['errorRate', 50, 99, 'unjudged'], // below the minimum volume: no verdict however bad
    ['errorRate', 0, 0, 'unjudged'],
    ['optOutRate', 3, 1000, 'good'], // 0.3 %
    ['optOutRate', 4, 1000, 'approaching'], // 0.4 %
    ['optOutRate', 5, 1000, 'bad'], // 0.5 %
    ['optOutRate', 1, 200, 'bad'], // 0.5 % of 200
  ] as const)('%s %d of %d is %s', (metric, numerator, denominator, band) => {
    expect(judgeRate({ metric, window: '7d', numerator, denominator }, policy).band).toBe(band);
  });

  it('takes the worst judged rate across metrics and windows', () => {
    const rates = [
      judgeRate({ metric: 'errorRate', window: '7d', numerator: 10, denominator: 1000 }, policy),
      judgeRate({ metric: 'optOutRate', window: '24h', numerator: 5, denominator: 1000 }, policy),
      judgeRate({ metric: 'errorRate', window: '24h', numerator: 9, denominator: 10 }, policy),
    ];
    const { band, worst } = overallBand(rates);
    expect(band).toBe('bad');
    expect(worst).toMatchObject({ metric: 'optOutRate', window: '24h', rate: 0.005 });
    expect(overallBand([rates[2]])).toEqual({ band: 'unjudged', worst: undefined });
  });
});

const at = (state: LadderState, extra: Partial<LadderMemory> = {}): LadderMemory => ({ ...INITIAL_LADDER, state, ...extra });
const DAY = 24 * 3600_000;

describe('the escalation ladder', () => {
  // memory before, band, now (ms), state after, move (or none)
  it.each<[string, LadderMemory, Band, number, LadderState, string | undefined]>([
    ['one bad evaluation is not enough', at('good'), 'bad', 0, 'good', undefined],
    ['bad held twice warns', at('good', { badStreak: 1, approachingStreak: 1 }), 'bad', 0, 'warned', 'good→warned'],
    [
      'bad held twice more puts a warned tenant under review',
      at('warned', { badStreak: 1, approachingStreak: 1 }),
      'bad',
      0,
      'under_review',
      'warned→under_review',
    ],
    ['and then suspends it', at('under_review', { badStreak: 1 }), 'bad', 0, 'suspended', 'under_review→suspended'],
    ['nothing above suspended', at('suspended', { badStreak: 5 }), 'bad', 0, 'suspended', undefined],
    ['approaching held twice warns early', at('good', { approachingStreak: 1 }), 'approaching', 0, 'warned', 'good→warned'],
    ['approaching never goes past warned', at('warned', { approachingStreak: 9 }), 'approaching', 0, 'warned', undefined],
    ['bad then approaching restarts the bad count', at('warned', { badStreak: 1, approachingStreak: 1 }), 'approaching', 0, 'warned', undefined],
    ['too little traffic changes nothing', at('warned', { badStreak: 1 }), 'unjudged', 0, 'warned', undefined],
    ['good starts the recovery clock', at('warned'), 'good', 1000, 'warned', undefined],
    ['good for less than the recovery time stays', at('warned', { goodSinceMs: 0 }), 'good', DAY - 1, 'warned', undefined],
    ['good for the recovery time steps down', at('warned', { goodSinceMs: 0 }), 'good', DAY, 'good', 'warned→good'],
    ['under review steps down one rung', at('under_review', { goodSinceMs: 0 }), 'good', DAY, 'warned', 'under_review→warned'],
    ['suspended never recovers on its own', at('suspended', { goodSinceMs: 0 }), 'good', 30 * DAY, 'suspended', undefined],
  ])('%s', (_name, memory, band, now, state, move) => {
    const result = stepLadder(memory, band, now, policy);
    expect(result.memory.state).toBe(state);
    expect(result.move ? `${result.move.from}→${result.move.to}` : undefined).toBe(move);
  });

  it('a bad evaluation resets the recovery clock', () => {
    let m = stepLadder(at('warned'), 'good', 0, policy).memory;
    m = stepLadder(m, 'bad', DAY / 2, policy).memory;
    m = stepLadder(m, 'good', DAY / 2 + 1, policy).memory;
    expect(stepLadder(m, 'good', DAY + 10, policy).move).toBeUndefined();
    expect(stepLadder(m, 'good', DAY / 2 + 1 + DAY, policy).move).toEqual({ from: 'warned', to: 'good', why: 'recovered' });
  });

  it('a tenant whose rates stay bad climbs every rung in order', () => {
    let m = INITIAL_LADDER;
    const moves: string[] = [];
    for (let i = 0; i < 10; i++) {
      const r = stepLadder(m, 'bad', i, policy);
      m = r.memory;
      if (r.move) moves.push(r.move.to);
    }
    expect(moves).toEqual(['warned', 'under_review', 'suspended']);
  });
});

describe('staff decisions', () => {
  it.each<[LadderState, StaffDecision, LadderState | undefined]>([
    ['under_review', 'approve', 'good'],
    ['warned', 'approve', undefined],
    ['good', 'approve', undefined],
    ['good', 'suspend', 'suspended'],
    ['under_review', 'suspend', 'suspended'],
    ['suspended', 'suspend', undefined], // a duplicate signal is harmless
    ['suspended', 'reinstate', 'good'],
    ['good', 'reinstate', undefined],
  ])('%s + %s → %s', (state, decision, to) => {
    expect(applyStaffDecision(at(state), decision).move?.to).toBe(to);
  });
});
