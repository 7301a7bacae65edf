import {
  CATEGORY_IDS,
  CORPUS_LABELS,
  LINK_POLICY,
  MESSAGE_RULES,
  POLICY,
  SENDER_TYPES,
  VERDICTS,
  verdictFor,
  type CategoryId,
  type SenderType,
  type Verdict,
} from '../../../src/domain/compliance/policy';

const FORBIDDEN = CATEGORY_IDS.filter((id) => POLICY[id].family === 'forbidden');
const AGE_GATED = CATEGORY_IDS.filter((id) => POLICY[id].family === 'age_gated');

describe('compliance policy data', () => {
  it('has one entry per category id, in the order of categories.md, and nothing else', () => {
    expect(Object.keys(POLICY).sort()).toEqual([...CATEGORY_IDS].sort());
    expect(CATEGORY_IDS[0]).toBe('high_risk_financial.payday_loans');
    expect(CATEGORY_IDS[CATEGORY_IDS.length - 1]).toBe('age_gated.tobacco_vape');
    expect(new Set(CATEGORY_IDS).size).toBe(CATEGORY_IDS.length);
    expect(CORPUS_LABELS).toEqual([...CATEGORY_IDS, 'legit']);
  });

  it.each(CATEGORY_IDS.map((id) => [id]))('%s: id, label, reason, fix and covered sub-types are filled in', (id) => {
    const entry = POLICY[id];
    expect(entry.id).toBe(id);
    expect(entry.label.trim()).not.toBe('');
    expect(entry.reason.trim()).not.toBe('');
    expect(entry.fix.trim()).not.toBe('');
    expect(entry.covers.length).toBeGreaterThan(0);
    expect(entry.family).toBe(id.startsWith('age_gated.') ? 'age_gated' : 'forbidden');
  });

  it.each(CATEGORY_IDS.map((id) => [id]))('%s: cites at least one https source, every source complete', (id) => {
    const { sources } = POLICY[id];
    expect(sources.some((s) => s.url.startsWith('https://'))).toBe(true);
    for (const s of sources) {
      expect(s.url).toMatch(/^https:\/\/[^\s]+$/);
      expect(() => new URL(s.url)).not.toThrow();
      expect(s.publisher.trim()).not.toBe('');
      expect(s.title.trim()).not.toBe('');
      expect(s.says.trim()).not.toBe('');
    }
  });

  it.each(CATEGORY_IDS.map((id) => [id]))('%s: cites at least one Twilio page (the route clearsend sends through)', (id) => {
    expect(POLICY[id].sources.some((s) => s.publisher === 'Twilio')).toBe(true);
  });

  it.each(CATEGORY_IDS.map((id) => [id]))('%s: has a verdict for every sender type, gated or not', (id) => {
    for (const senderType of SENDER_TYPES) {
      const route = POLICY[id].verdicts[senderType];
      expect(VERDICTS).toContain(route.ageGated);
      expect(VERDICTS).toContain(route.notAgeGated);
    }
  });

  it('declaring an age gate never makes a verdict stricter', () => {
    const rank: Record<Verdict, number> = { warn: 0, review: 1, block: 2 };
    for (const id of CATEGORY_IDS) {
      for (const senderType of SENDER_TYPES) {
        const route = POLICY[id].verdicts[senderType];
        expect(rank[route.ageGated]).toBeLessThanOrEqual(rank[route.notAgeGated]);
      }
    }
  });
});

describe('verdictFor', () => {
  it.each(FORBIDDEN.map((id) => [id]))('forbidden %s blocks on 10DLC with or without an age gate', (id) => {
    expect(verdictFor(id, { senderType: '10dlc', ageGated: false })).toBe('block');
    expect(verdictFor(id, { senderType: '10dlc', ageGated: true })).toBe('block');
  });

  it.each(FORBIDDEN.map((id) => [id]))('forbidden %s blocks on every route (no source found naming an exception)', (id) => {
    for (const senderType of SENDER_TYPES) {
      for (const ageGated of [true, false]) expect(verdictFor(id, { senderType, ageGated })).toBe('block');
    }
  });

  it('an age-gated category is never blocked everywhere: each has a route where a gate helps', () => {
    for (const id of AGE_GATED) {
      const helps = SENDER_TYPES.some((senderType) => verdictFor(id, { senderType, ageGated: true }) !== 'block');
      expect(helps).toBe(true);
    }
  });

  it.each<[CategoryId, SenderType, boolean, Verdict]>([
    // Alcohol: sendable with a declared age gate on every route, a person checks without one.
    ['age_gated.alcohol', '10dlc', true, 'warn'],
    ['age_gated.alcohol', '10dlc', false, 'review'],
    ['age_gated.alcohol', 'short_code', true, 'warn'],
    ['age_gated.alcohol', 'toll_free', true, 'warn'],
    ['age_gated.alcohol', 'toll_free', false, 'review'],
    // Tobacco and vape: toll-free refuses them regardless of the gate (Twilio 30458).
    ['age_gated.tobacco_vape', 'toll_free', true, 'block'],
    ['age_gated.tobacco_vape', 'toll_free', false, 'block'],
    ['age_gated.tobacco_vape', '10dlc', true, 'review'],
    ['age_gated.tobacco_vape', '10dlc', false, 'block'],
    ['age_gated.tobacco_vape', 'short_code', true, 'review'],
    // Firearms: toll-free blocks; elsewhere a person decides only when a gate is declared.
    ['age_gated.firearms', 'toll_free', true, 'block'],
    ['age_gated.firearms', '10dlc', true, 'review'],
    ['age_gated.firearms', '10dlc', false, 'block'],
    ['age_gated.firearms', 'short_code', true, 'review'],
    ['age_gated.firearms', 'short_code', false, 'block'],
  ])('%s on %s with ageGated=%s is %s', (category, senderType, ageGated, expected) => {
    expect(verdictFor(category, { senderType, ageGated })).toBe(expected);
  });

  it('answers every known category, route and gate combination without throwing', () => {
    for (const id of CATEGORY_IDS) {
      for (const senderType of SENDER_TYPES) {
        for (const ageGated of [true, false]) {
          expect(VERDICTS).toContain(verdictFor(id, { senderType, ageGated }));
        }
      }
    }
  });

  it('refuses an unknown category or sender type, naming it', () => {
    // Values read from storage are not checked by the compiler; cast to model that.
    expect(() => verdictFor('legit' as CategoryId, { senderType: '10dlc', ageGated: false })).toThrow('unknown compliance category: legit');
    expect(() => verdictFor('toString' as CategoryId, { senderType: '10dlc', ageGated: false })).toThrow('unknown compliance category: toString');
    expect(() => verdictFor('gambling', { senderType: 'alphanumeric' as SenderType, ageGated: false })).toThrow('unknown sender type: alphanumeric');
  });
});

describe('link policy and message rules', () => {
  it('blocks shared public shorteners and names the ones its sources name', () => {
    expect(LINK_POLICY.verdict).toBe('block');
    expect(LINK_POLICY.source.url).toMatch(/^https:\/\//);
    expect(LINK_POLICY.publicShorteners).toEqual(expect.arrayContaining(['bit.ly', 'tinyurl.com']));
    for (const host of LINK_POLICY.namedBySources) expect(LINK_POLICY.publicShorteners).toContain(host);
    for (const host of LINK_POLICY.publicShorteners) expect(host).toMatch(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/);
    expect(new Set(LINK_POLICY.publicShorteners).size).toBe(LINK_POLICY.publicShorteners.length);
  });

  it('keeps a source for each published message rule', () => {
    for (const rule of Object.values(MESSAGE_RULES)) {
      expect(rule.sources.some((s) => s.url.startsWith('https://'))).toBe(true);
    }
  });
});
