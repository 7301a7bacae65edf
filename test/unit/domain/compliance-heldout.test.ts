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
 * ≥ 0.9, asserted below. The floors are the figures the committed engine measured, so a change
 * that judges worse fails even while it stays above a target; raise a floor when the engine
 * improves (by work on the train part only). Floors were lowered four times before, each on
 * messages never measured before or for a measured gain elsewhere (git log of this file): the
 * held-out part grew with batches 2, 3 and 4 (written by people who read neither corpus nor
 * engine, split once by the fixed seed, half held out), and a deployment prior for the gate cut
 * false holds on plain traffic from 13.6 % to 1.4 %. A fifth time with batch 5 (440 phishing and
 * look-alike messages by two more blind writers, judged before the split:
 * bench/results/compliance-fresh-batches.jsonl), whose held-out half grew the part to 2,502 and
 * phishing to 291, while batches 6 and 7 (1,240 messages, train only) were fitted: several
 * categories moved by one message either way, and every one now meets its target. Any other
 * lowering needs the same kind of reason, in its commit.
 */
const TARGETS = { blockedPrecision: 0.95, blockedRecall: 0.95, categoryRecall: 0.9 };
const FLOORS = {
  blockedPrecision: 0.977,
  blockedRecall: 0.967,
  categoryRecall: {
    'high_risk_financial.payday_loans': 0.957,
    'high_risk_financial.third_party_loans': 0.99,
    'high_risk_financial.crypto_and_investing': 0.943,
    get_rich_quick: 0.971,
    'debt.third_party_collection': 0.943,
    'debt.relief': 0.985,
    'debt.credit_repair': 0.985,
    lead_generation: 0.971,
    gambling: 0.92,
    'substances.cannabis_cbd_kratom': 0.943,
    'substances.illegal_drugs': 0.919,
    'substances.prescription_without_rx': 0.943,
    'restricted_articles.fireworks': 0.985,
    sexual_content: 0.957,
    hate: 0.9,
    'fraud.phishing_impersonation': 0.903,
    'age_gated.alcohol': 0.929,
    'age_gated.firearms': 0.943,
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

  it(`meets issue 11's targets: blocked precision and recall ≥ ${TARGETS.blockedPrecision}, every category's recall ≥ ${TARGETS.categoryRecall}`, () => {
    expect(figures.blocked.precision).toBeGreaterThanOrEqual(TARGETS.blockedPrecision);
    expect(figures.blocked.recall).toBeGreaterThanOrEqual(TARGETS.blockedRecall);
    const short = CATEGORY_IDS.filter((c) => !(figures.perCategory[c]?.recall >= TARGETS.categoryRecall));
    expect(short).toEqual([]);
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
