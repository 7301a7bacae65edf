/**
 * The tenant monitor's escalation ladder: good → warned → under_review → suspended.
 * Pure: the monitor workflow feeds it measured rates and the workflow clock; every action a
 * move implies (notices, cases, subaccount status) is the workflow's business.
 */

export const LADDER = ['good', 'warned', 'under_review', 'suspended'] as const;
export type LadderState = (typeof LADDER)[number];

/** How a rate compares with its thresholds; `unjudged` when there is too little traffic to tell. */
export type Band = 'good' | 'approaching' | 'bad' | 'unjudged';

export interface RateThresholds {
  /** Above this the rate is "approaching" (warn early). */
  approachingAbove: number;
  /** Above this the rate is bad. */
  badAbove: number;
}

export interface LadderPolicy {
  /** (failed + undelivered) / final messages. Twilio: good up to 6 %, bad above. */
  errorRate: RateThresholds;
  /** opt-outs / delivered messages. Twilio: good up to 0.3 %, bad above 0.4 %. */
  optOutRate: RateThresholds;
  /** Below this many final messages (error rate) or deliveries (opt-out rate) a window is not judged. */
  minVolume: number;
  /** Consecutive evaluations a condition must hold before the ladder moves up. */
  escalateAfterEvaluations: number;
  /** How long rates must stay good before the ladder steps down one rung. */
  recoverAfterMs: number;
}

export const DEFAULT_LADDER_POLICY: LadderPolicy = {
  errorRate: { approachingAbove: 0.045, badAbove: 0.06 },
  optOutRate: { approachingAbove: 0.003, badAbove: 0.004 },
  minVolume: 100,
  escalateAfterEvaluations: 2,
  recoverAfterMs: 24 * 3600_000,
};

/** One rate over one window, as the monitor measured it. */
export interface RateMeasurement {
  metric: 'errorRate' | 'optOutRate';
  window: string;
  numerator: number;
  denominator: number;
}

export interface JudgedRate extends RateMeasurement {
  rate: number | null;
  band: Band;
  threshold: RateThresholds;
}

const BAND_ORDER: Record<Band, number> = { unjudged: 0, good: 1, approaching: 2, bad: 3 };

export function judgeRate(m: RateMeasurement, policy: LadderPolicy): JudgedRate {
  const threshold = policy[m.metric];
  if (m.denominator < policy.minVolume || m.denominator === 0)
    return { ...m, rate: m.denominator === 0 ? null : m.numerator / m.denominator, band: 'unjudged', threshold };
  const rate = m.numerator / m.denominator;
  const band: Band = rate > threshold.badAbove ? 'bad' : rate > threshold.approachingAbove ? 'approaching' : 'good';
  return { ...m, rate, band, threshold };
}

/** The worst band among the judged rates (a tenant is as healthy as its worst rate). */
export function overallBand(rates: readonly JudgedRate[]): { band: Band; worst?: JudgedRate } {
  let worst: JudgedRate | undefined;
  for (const r of rates) if (!worst || BAND_ORDER[r.band] > BAND_ORDER[worst.band]) worst = r;
  return { band: worst?.band ?? 'unjudged', worst: worst && worst.band !== 'unjudged' ? worst : undefined };
}

/** What the ladder remembers between evaluations. */
export interface LadderMemory {
  state: LadderState;
  /** Consecutive evaluations in the bad band. */
  badStreak: number;
  /** Consecutive evaluations in the approaching band or worse. */
  approachingStreak: number;
  /** Since when rates have been good without a judged non-good evaluation in between. */
  goodSinceMs?: number;
}

export const INITIAL_LADDER: LadderMemory = { state: 'good', badStreak: 0, approachingStreak: 0 };

export interface LadderMove {
  from: LadderState;
  to: LadderState;
  why: 'escalated' | 'recovered' | 'staff';
}

const up = (s: LadderState): LadderState => LADDER[Math.min(LADDER.indexOf(s) + 1, LADDER.length - 1)];
const down = (s: LadderState): LadderState => LADDER[Math.max(LADDER.indexOf(s) - 1, 0)];

/**
 * One evaluation's effect. Bad rates held for `escalateAfterEvaluations` move the tenant up
 * one rung (to `suspended` at most); approaching rates held as long only warn a good tenant.
 * Good rates held for `recoverAfterMs` step it down one rung — never out of `suspended`,
 * which only a person ends. An unjudged evaluation (too little traffic) changes nothing.
 */
export function stepLadder(memory: LadderMemory, band: Band, nowMs: number, policy: LadderPolicy): { memory: LadderMemory; move?: LadderMove } {
  if (band === 'unjudged') return { memory };
  if (band === 'good') {
    const goodSinceMs = memory.goodSinceMs ?? nowMs;
    const next: LadderMemory = { ...memory, badStreak: 0, approachingStreak: 0, goodSinceMs };
    if ((memory.state === 'warned' || memory.state === 'under_review') && nowMs - goodSinceMs >= policy.recoverAfterMs) {
      const to = down(memory.state);
      // The next rung down needs its own full good period.
      return { memory: { ...next, state: to, goodSinceMs: nowMs }, move: { from: memory.state, to, why: 'recovered' } };
    }
    return { memory: next };
  }
  const badStreak = band === 'bad' ? memory.badStreak + 1 : 0;
  const approachingStreak = memory.approachingStreak + 1;
  const held: LadderMemory = { state: memory.state, badStreak, approachingStreak, goodSinceMs: undefined };
  const enough = policy.escalateAfterEvaluations;
  if (memory.state !== 'suspended' && badStreak >= enough) {
    const to = up(memory.state);
    return { memory: { state: to, badStreak: 0, approachingStreak: 0 }, move: { from: memory.state, to, why: 'escalated' } };
  }
  if (memory.state === 'good' && approachingStreak >= enough) {
    return { memory: { state: 'warned', badStreak, approachingStreak: 0 }, move: { from: 'good', to: 'warned', why: 'escalated' } };
  }
  return { memory: held };
}

export type StaffDecision = 'approve' | 'suspend' | 'reinstate';

/**
 * A person's decision. approve closes an under-review case (back to good); suspend works from
 * any rung below suspended; reinstate ends a suspension (back to good). Anything else — such
 * as a duplicate signal — is no move at all.
 */
export function applyStaffDecision(memory: LadderMemory, decision: StaffDecision): { memory: LadderMemory; move?: LadderMove } {
  const to: LadderState | undefined =
    decision === 'approve'
      ? memory.state === 'under_review'
        ? 'good'
        : undefined
      : decision === 'suspend'
        ? memory.state !== 'suspended'
          ? 'suspended'
          : undefined
        : memory.state === 'suspended'
          ? 'good'
          : undefined;
  if (!to) return { memory };
  return { memory: { state: to, badStreak: 0, approachingStreak: 0 }, move: { from: memory.state, to, why: 'staff' } };
}

/** Whether a staff decision fits the current rung (the API answers 409 otherwise). */
export function staffDecisionFits(state: LadderState, decision: StaffDecision): boolean {
  return applyStaffDecision({ ...INITIAL_LADDER, state }, decision).move !== undefined;
}

const pct = (r: number | null) => (r === null ? 'n/a' : `${(r * 100).toFixed(2)} %`);
const METRIC_NAME = { errorRate: 'error rate', optOutRate: 'opt-out rate' } as const;

/** A rate in words a tenant understands. */
export function describeRate(r: JudgedRate): string {
  return `${METRIC_NAME[r.metric]} over the last ${r.window}: ${pct(r.rate)} (${r.numerator} of ${r.denominator}); approaching above ${pct(r.threshold.approachingAbove)}, bad above ${pct(r.threshold.badAbove)}`;
}

/** Why the monitor moved a tenant, for the audit log, the notice and the case. */
export function moveReason(move: LadderMove, worst: JudgedRate | undefined, policy: LadderPolicy): string {
  if (move.why === 'recovered') return `rates back in the good band for ${Math.round(policy.recoverAfterMs / 1000)} s`;
  const held = `for ${policy.escalateAfterEvaluations} evaluations in a row`;
  return worst ? `${describeRate(worst)} — ${worst.band} ${held}` : `rates ${held}`;
}
