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
 */
describe('compliance judgement on held-out messages', () => {
  const heldOut = readCorpus('outbound', 'heldout');
  const figures = measureJudgement(heldOut, (t) => judgeMessage(t));

  afterAll(() => {
    const labels = [...CATEGORY_IDS, 'legit'];
    const columns = [...new Set(Object.values(figures.confusion).flatMap((r) => Object.keys(r)))].sort();
    const table = Object.fromEntries(labels.map((l) => [l, Object.fromEntries(columns.map((c) => [c, figures.confusion[l]?.[c] ?? 0]))]));
    console.log(`held-out: ${figures.examples} messages; blocked precision ${figures.blocked.precision}, recall ${figures.blocked.recall}\nconfusion (row: true label, column: first finding):`);
    console.table(table);
    console.table(figures.perCategory);
  });

  it('holds back what it should, and lets the rest through: precision and recall of blocked ≥ 0.95', () => {
    expect(figures.blocked.precision).toBeGreaterThanOrEqual(0.95);
    expect(figures.blocked.recall).toBeGreaterThanOrEqual(0.95);
  });

  it.each(CATEGORY_IDS.map((c) => [c]))('%s: recall ≥ 0.9', (category) => {
    expect(figures.perCategory[category]?.examples).toBeGreaterThan(0);
    expect(figures.perCategory[category].recall).toBeGreaterThanOrEqual(0.9);
  });

  it('reads free-text opt-out replies: acted on with precision ≥ 0.95, at least flagged with recall ≥ 0.95', () => {
    const replies = measureReplyIntent(readCorpus('inbound', 'heldout'), classifyReplyIntent);
    console.log(`reply intent on ${replies.examples} held-out replies: confident ${JSON.stringify(replies.confidentOptOut)}, flagged ${JSON.stringify(replies.flaggedOptOut)}`);
    expect(replies.confidentOptOut.precision).toBeGreaterThanOrEqual(0.95);
    expect(replies.confidentOptOut.recall).toBeGreaterThanOrEqual(0.8);
    expect(replies.flaggedOptOut.recall).toBeGreaterThanOrEqual(0.95);
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
