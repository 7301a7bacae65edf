/**
 * Fits the compliance classifiers on the TRAIN part of the labelled corpus and writes them to
 * src/domain/compliance/models/. The held-out part is never read here.
 *
 *   npm run scan:train            fit and write the models
 *   npm run scan:train -- --cv    also 5-fold cross-validation on train: figures per threshold,
 *                                 and the train messages the judgement gets wrong (to read when
 *                                 improving the lexicon)
 *   npm run scan:train -- --cv --only gambling,debt.   misses of those categories only (prefixes)
 *   npm run scan:train -- --cv --grid   the figures for a grid of THRESHOLDS
 *   npm run scan:train -- --cv --also 8,16,inf   the figures for these `alsoModelCategory` values
 *
 * With --cv, each setting's figures include `plainHeldRate`: the share of the plain messages
 * (test/fixtures/plain-messages.txt, never trained on) the model fitted on all of train holds.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import seedrandom from 'seedrandom';
import { readCorpus, CORPUS_SEED, type CorpusExample } from '../test/support/compliance-corpus';
import { readPlainMessages } from '../test/support/plain-messages';
import { fitCategoryModel, fitReplyModel } from '../src/domain/compliance/training';
import { createJudge, THRESHOLDS } from '../src/domain/compliance/judge';
import { heldRate, measureJudgement } from '../src/domain/compliance/evaluation';
import { createReplyIntentClassifier, measureReplyIntent } from '../src/domain/compliance/reply-intent';

const MODELS = path.resolve(__dirname, '../src/domain/compliance/models');
const outbound = readCorpus('outbound', 'train');
const inbound = readCorpus('inbound', 'train');

const categoryModel = fitCategoryModel(outbound);
writeFileSync(path.join(MODELS, 'category-model.json'), JSON.stringify(categoryModel.toJSON()) + '\n');
writeFileSync(path.join(MODELS, 'reply-model.json'), fitReplyModel(inbound).toJSON() + '\n');
process.stdout.write(`models written: ${outbound.length} outbound and ${inbound.length} inbound train examples\n`);

if (process.argv.includes('--cv')) {
  const folds = (examples: CorpusExample[], k: number) => {
    const random = seedrandom(`${CORPUS_SEED}/cv`);
    const order = examples
      .map((e) => ({ e, r: random() }))
      .sort((a, b) => a.r - b.r)
      .map((x) => x.e);
    return Array.from({ length: k }, (_, i) => ({ test: order.filter((_, j) => j % k === i), train: order.filter((_, j) => j % k !== i) }));
  };
  const grid = process.argv.includes('--grid');
  // --also 10,20,inf: the same thresholds with each of these `alsoModelCategory` values.
  const also = process.argv.includes('--also')
    ? process.argv[process.argv.indexOf('--also') + 1].split(',').map((v) => (v === 'inf' ? Infinity : Number(v)))
    : null;
  // The prior and the two bars move together (only their differences matter, and the prior alone
  // when the gate knows no feature), so the grid keeps the prior and moves the bars.
  const settings = grid
    ? [-2, -1, 0, 1, 2, 3, 4].flatMap((modelAlone) =>
        [-6, -5, -4].flatMap((weakTermWithModel) =>
          [8, 12].map((innocentUsePenalty) => ({ ...THRESHOLDS, modelAlone, weakTermWithModel, innocentUsePenalty })),
        ),
      )
    : also
      ? also.map((alsoModelCategory) => ({ ...THRESHOLDS, alsoModelCategory }))
      : [THRESHOLDS];
  const plain = readPlainMessages();
  const cvFolds = folds(outbound, 5);
  const models = cvFolds.map((f) => fitCategoryModel(f.train));
  const foldOf = new Map(cvFolds.flatMap((f, i) => f.test.map((e) => [e.text, i])));
  for (const thresholds of settings) {
    const misses: ReturnType<typeof measureJudgement>['misses'] = [];
    const all = cvFolds.flatMap((f, i) => {
      const judge = createJudge(models[i], thresholds);
      const figures = measureJudgement(f.test, (t) => judge(t));
      misses.push(...figures.misses);
      return f.test;
    });
    const judges = models.map((m) => createJudge(m, thresholds));
    const merged = measureJudgement(all, (t) => judges[foldOf.get(t)!](t));
    const worst = Object.entries(merged.perCategory)
      .sort((a, b) => a[1].recall - b[1].recall)
      .slice(0, 5);
    const meanRecall = Object.values(merged.perCategory).reduce((n, c) => n + c.recall, 0) / Object.keys(merged.perCategory).length;
    process.stdout.write(
      `${JSON.stringify({ thresholds: { ...thresholds, alsoModelCategory: String(thresholds.alsoModelCategory) }, blocked: { precision: merged.blocked.precision, recall: merged.blocked.recall }, categoryFindings: merged.categoryFindings, meanCategoryRecall: Math.round(meanRecall * 1e4) / 1e4, plainHeldRate: heldRate(plain, createJudge(categoryModel, thresholds)), worstCategories: Object.fromEntries(worst.map(([k, v]) => [k, v.recall])) })}\n`,
    );
    const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1].split(',') : null;
    const concerns = (code: string) => !only || only.some((p) => code.startsWith(p));
    process.stdout.write(
      `${JSON.stringify({
        perCategoryRecall: Object.fromEntries(
          Object.entries(merged.perCategory)
            .filter(([k]) => concerns(k))
            .map(([k, v]) => [k, v.recall]),
        ),
      })}\n`,
    );
    if (!grid && !also)
      for (const m of misses.filter((x) => concerns(x.label) || x.found.some(concerns)))
        process.stdout.write(`MISS ${m.label} -> [${m.found.join(',')}] ${JSON.stringify(m.text)}\n`);
  }
  const replyFolds = folds(inbound, 5);
  const replyMisses: string[] = [];
  const replyFigures = replyFolds.map((f) => {
    const classify = createReplyIntentClassifier(fitReplyModel(f.train));
    const figures = measureReplyIntent(f.test, classify);
    replyMisses.push(...figures.misses.map((m) => `REPLY-MISS ${m.label} -> ${m.intent} ${JSON.stringify(m.text)}`));
    return figures;
  });
  process.stdout.write(`${JSON.stringify({ replyIntentFolds: replyFigures.map((f) => ({ confident: f.confidentOptOut, flagged: f.flaggedOptOut })) })}\n`);
  if (!grid) process.stdout.write(replyMisses.join('\n') + '\n');
}
