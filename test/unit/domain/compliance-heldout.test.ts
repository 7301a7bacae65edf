import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CATEGORY_IDS } from '../../../src/domain/compliance/policy';
import { measureJudgement } from '../../../src/domain/compliance/evaluation';
import { judgeMessage } from '../../../src/domain/compliance/judge';
import { classifyReplyIntent, measureReplyIntent } from '../../../src/domain/compliance/reply-intent';
import { fitCategoryModel, fitReplyModel } from '../../../src/domain/compliance/training';
import { readCorpus } from '../../support/compliance-corpus';

/**
 * The judgement measured on the held-out part of the labelled corpus: messages the lexicon
 * and the model were not written from. The figures, not every message, are what is asserted.
 *
 * Issue 11's targets are blocked precision and recall ≥ 0.95 and every category's recall
 * ≥ 0.9. They are NOT all met yet (README, "Measured on messages it was not written from"):
 * the assertions below are the figures the committed engine measured, as floors, so a change
 * that judges worse fails; the printout shows the distance to the targets. Raise a floor when
 * the engine improves (by work on the train part only). A floor was lowered once: blocked
 * precision 0.971 → 0.963 when 730 more train messages raised recall 0.936 → 0.941 and six
 * categories (README). A second time, phishing 0.789 → 0.684 and tobacco/vape 1 → 0.947 (one
 * message), when the gate's prior became a deployment prior and 250 short plain messages joined
 * train, which cut the false holds on plain traffic from 13.6 % to 1.4 % (a probe set outside the
 * corpus) and raised blocked precision 0.963 → 0.974, recall 0.941 → 0.958 and eleven categories.
 * A third time, when the held-out part grew from 589 to 1,202 messages: batch 2 (written by
 * people who read neither corpus nor engine, split once by the fixed seed, half held out) made
 * every category 41 messages instead of 19, so the floors were set anew from the first
 * measurement on the larger part (blocked precision 0.970, recall 0.964; on the original 589
 * alone 0.975 / 0.964, so no loss there). A fourth time, when batches 3 (1,840 messages by four more
 * blind writers) and 4 (320: phishing, illegal drugs and look-alikes) were split the same way and
 * the held-out part grew to 2,282 (71 to 161 a category): floors set from the first measurement
 * on it, after tuning on the two batches' train halves. Against the engine before (b4c3f2f) on
 * the same 2,282, every category is the same or better except cannabis/CBD/kratom (one message). Floors that fell did so on messages never measured
 * before, not by a change to the engine. Any other lowering needs the same kind of reason, in
 * its commit.
 */
const TARGETS = { blockedPrecision: 0.95, blockedRecall: 0.95, categoryRecall: 0.9 };
const FLOORS = {
  blockedPrecision: 0.974,
  blockedRecall: 0.972,
  categoryRecall: {
    'high_risk_financial.payday_loans': 0.971,
    'high_risk_financial.third_party_loans': 0.99,
    'high_risk_financial.crypto_and_investing': 0.957,
    get_rich_quick: 0.957,
    'debt.third_party_collection': 0.985,
    'debt.relief': 1,
    'debt.credit_repair': 0.985,
    lead_generation: 0.971,
    gambling: 0.93,
    'substances.cannabis_cbd_kratom': 0.943,
    'substances.illegal_drugs': 0.925,
    'substances.prescription_without_rx': 0.957,
    'restricted_articles.fireworks': 0.985,
    sexual_content: 0.957,
    hate: 0.91,
    'fraud.phishing_impersonation': 0.875,
    'age_gated.alcohol': 0.929,
    'age_gated.firearms': 0.957,
    'age_gated.tobacco_vape': 0.971,
  } satisfies Record<(typeof CATEGORY_IDS)[number], number>,
  reply: { confidentPrecision: 0.95, confidentRecall: 0.75, flaggedRecall: 0.9 },
};

describe('compliance judgement on held-out messages', () => {
  const heldOut = readCorpus('outbound', 'heldout');
  const figures = measureJudgement(heldOut, (t) => judgeMessage(t));

  afterAll(() => {
    const labels = [...CATEGORY_IDS, 'legit'];
    const columns = [...new Set(Object.values(figures.confusion).flatMap((r) => Object.keys(r)))].sort();
    const table = Object.fromEntries(labels.map((l) => [l, Object.fromEntries(columns.map((c) => [c, figures.confusion[l]?.[c] ?? 0]))]));
    const short = Object.entries(figures.perCategory)
      .filter(([, v]) => v.recall < TARGETS.categoryRecall)
      .map(([k, v]) => `${k} ${v.recall}`);
    console.log(
      `held-out: ${figures.examples} messages; blocked precision ${figures.blocked.precision}, recall ${figures.blocked.recall} (target ${TARGETS.blockedPrecision} / ${TARGETS.blockedRecall})\n` +
        `categories under the ${TARGETS.categoryRecall} recall target: ${short.length ? short.join(', ') : 'none'}\nconfusion (row: true label, column: first finding):`,
    );
    console.table(table);
    console.table(figures.perCategory);
  });

  it(`holds back what it should, and lets the rest through: blocked precision ≥ ${FLOORS.blockedPrecision}, recall ≥ ${FLOORS.blockedRecall}`, () => {
    expect(figures.blocked.precision).toBeGreaterThanOrEqual(FLOORS.blockedPrecision);
    expect(figures.blocked.recall).toBeGreaterThanOrEqual(FLOORS.blockedRecall);
  });

  it.each(CATEGORY_IDS.map((c) => [c, FLOORS.categoryRecall[c]] as const))('%s: recall ≥ %d', (category, floor) => {
    expect(figures.perCategory[category]?.examples).toBeGreaterThan(0);
    expect(figures.perCategory[category].recall).toBeGreaterThanOrEqual(floor);
  });

  it('reads free-text opt-out replies: acted on precisely, and most at least flagged for the tenant', () => {
    const replies = measureReplyIntent(readCorpus('inbound', 'heldout'), classifyReplyIntent);
    console.log(
      `reply intent on ${replies.examples} held-out replies: confident ${JSON.stringify(replies.confidentOptOut)}, flagged ${JSON.stringify(replies.flaggedOptOut)}`,
    );
    expect(replies.confidentOptOut.precision).toBeGreaterThanOrEqual(FLOORS.reply.confidentPrecision);
    expect(replies.confidentOptOut.recall).toBeGreaterThanOrEqual(FLOORS.reply.confidentRecall);
    expect(replies.flaggedOptOut.recall).toBeGreaterThanOrEqual(FLOORS.reply.flaggedRecall);
  });
});

describe('the labelled corpus', () => {
  const parts = (name: 'outbound' | 'inbound') => [...readCorpus(name, 'train'), ...readCorpus(name, 'heldout')];

  it('is large enough to tell the truth: 1,500 outbound messages, 30 per category, 600 legitimate', () => {
    const all = parts('outbound');
    expect(all.length).toBeGreaterThanOrEqual(1500);
    for (const c of CATEGORY_IDS) expect(all.filter((e) => e.label === c).length).toBeGreaterThanOrEqual(30);
    expect(all.filter((e) => e.label === 'legit').length).toBeGreaterThanOrEqual(600);
    expect(all.every((e) => e.label === 'legit' || (CATEGORY_IDS as readonly string[]).includes(e.label))).toBe(true);
  });

  it('keeps train and held-out apart: no message is in both', () => {
    for (const name of ['outbound', 'inbound'] as const) {
      const train = new Set(readCorpus(name, 'train').map((e) => e.text.trim().toLowerCase()));
      expect(readCorpus(name, 'heldout').filter((e) => train.has(e.text.trim().toLowerCase()))).toEqual([]);
    }
  });

  it('ships models fitted on the train part alone (refitting reproduces them)', () => {
    const shipped = (file: string) => JSON.parse(readFileSync(path.resolve(__dirname, '../../../src/domain/compliance/models', file), 'utf8'));
    expect(JSON.parse(JSON.stringify(fitCategoryModel(readCorpus('outbound', 'train')).toJSON()))).toEqual(shipped('category-model.json'));
    expect(JSON.parse(fitReplyModel(readCorpus('inbound', 'train')).toJSON())).toEqual(shipped('reply-model.json'));
  });
});
