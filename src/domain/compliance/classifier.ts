import naiveBayes from 'wink-naive-bayes-text-classifier';
import { FeatureIndex, type FeatureKeys, type OutboundFeatures } from './features';

/**
 * The statistical layer: naive Bayes text classifiers (wink-naive-bayes-text-classifier),
 * trained only on the train part of the labelled corpus (`npm run scan:train`). Words nobody
 * listed still count: a payday offer that never says "payday" shares "paid", "tonight",
 * "approv", "$400" with the ones that do.
 *
 * Two models, because one naive Bayes over twenty labels let the large 'legit' class swamp
 * the small categories (measured: 0.54 top-1 accuracy in cross-validation): a gate that
 * tells held-back messages from legitimate ones (two balanced classes), and a category model
 * fitted on the held-back messages alone that says which category. Each reads the features
 * that measured best for it in cross-validation on train (features.ts).
 */
export interface ClassScore {
  label: string;
  /** log2 odds of this label against all the others; > 0 means more likely than not. */
  logOdds: number;
}

/** A stem, as opposed to a shape, a stem pair or a character n-gram: what a finding's span can point at. */
const isStem = (feature: string) => !feature.startsWith('__') && !feature.startsWith('#') && !feature.includes(' ');

/** wink's export: [config, samples per label, feature counts per label, feature totals per label, vocabulary]. */
type WinkExport = [unknown, Record<string, number>, Record<string, Record<string, number>>, Record<string, number>, string[]];

/** Additive smoothing; chosen by cross-validation on the train part. */
const SMOOTHING = 0.2;

export class TextClassifier {
  private readonly labels: string[];
  /** Each known feature's row in `table`. */
  private readonly index: FeatureIndex;
  /** Per feature row, per label: log2 P(f | label) − log2 P(f | not label), smoothed as wink smooths. */
  private readonly table: Float64Array;
  /** Per label: log2 samples(label) − log2 samples(not label). */
  private readonly priors: Float64Array;

  /**
   * wink fits and stores the model; scoring reads a table made once from its counts, because
   * wink's own `computeOdds` sums every other label's counts again for each feature and label
   * (labels² work per feature), which made it most of the scan's time. The table gives the same
   * odds (a unit test compares them with wink's).
   */
  private constructor(private readonly model: ReturnType<typeof naiveBayes>) {
    const [, samples, count, words, vocabulary] = JSON.parse(model.exportJSON()) as WinkExport;
    this.labels = Object.keys(samples);
    const labelCount = this.labels.length;
    const totalSamples = this.labels.reduce((n, l) => n + samples[l], 0);
    const totalWords = this.labels.reduce((n, l) => n + words[l], 0);
    const smoothing = SMOOTHING * vocabulary.length;
    this.priors = Float64Array.from(this.labels, (l) => Math.log2(samples[l]) - Math.log2(totalSamples - samples[l]));
    this.index = new FeatureIndex(vocabulary);
    const inLabel = new Float64Array(vocabulary.length * labelCount);
    const total = new Float64Array(vocabulary.length);
    this.labels.forEach((l, i) => {
      for (const [f, n] of Object.entries(count[l])) {
        const row = this.index.rows.get(f)!;
        inLabel[row * labelCount + i] = n;
        total[row] += n;
      }
    });
    const labelTerm = this.labels.map((l) => Math.log2(words[l] + smoothing) - Math.log2(totalWords - words[l] + smoothing));
    this.table = new Float64Array(vocabulary.length * labelCount);
    for (let row = 0; row < vocabulary.length; row++) {
      for (let i = 0; i < labelCount; i++) {
        const n = inLabel[row * labelCount + i];
        this.table[row * labelCount + i] = Math.log2(n + SMOOTHING) - Math.log2(total[row] - n + SMOOTHING) - labelTerm[i];
      }
    }
  }

  static train(examples: Array<{ features: string[]; label: string }>): TextClassifier {
    const model = naiveBayes();
    // Presence, not counts: a spammer repeating "FREE" five times should not count five times.
    model.defineConfig({ considerOnlyPresence: true, smoothingFactor: SMOOTHING });
    for (const e of examples) model.learn(e.features, e.label);
    model.consolidate();
    return new TextClassifier(model);
  }

  static fromJSON(json: string): TextClassifier {
    const model = naiveBayes();
    model.importJSON(json);
    model.consolidate();
    return new TextClassifier(model);
  }

  toJSON(): string {
    return this.model.exportJSON();
  }

  /**
   * The stem that speaks most for `label` against the other labels (the largest smoothed
   * log-likelihood ratio), to show a tenant what the model reacted to. Of a message's features
   * only `units` hold stems.
   */
  strongestEvidence(keys: FeatureKeys, label: string): string | null {
    const i = this.labels.indexOf(label);
    let best: string | null = null;
    let bestRatio = 0;
    if (i < 0) return null;
    for (const f of keys.units) {
      const row = this.index.rows.get(f);
      if (row === undefined || !isStem(f)) continue;
      const ratio = this.table[row * this.labels.length + i];
      if (ratio > bestRatio) [best, bestRatio] = [f, ratio];
    }
    return best;
  }

  /** Every label's log odds, most likely first (all 0 when no feature is known to the model). */
  scores(features: string[]): ClassScore[] {
    return this.scoresOfRows(this.index.rowsOfStrings(features));
  }

  /** `scores` of a message's outbound features (with `grams`, the category model's), from their keys. */
  scoresOfKeys(keys: FeatureKeys, grams: boolean): ClassScore[] {
    return this.scoresOfRows(this.index.rowsOfKeys(keys, grams));
  }

  /**
   * The sum of `label`'s log-likelihood ratios over the known features, without the label's
   * prior: what the message itself says, for a caller that brings its own prior.
   */
  evidenceLogOdds(features: string[], label: string): number {
    return this.evidenceOfRows(this.index.rowsOfStrings(features), label);
  }

  /** `evidenceLogOdds` of a message's gate features, from their keys. */
  evidenceLogOddsOfKeys(keys: FeatureKeys, label: string): number {
    return this.evidenceOfRows(this.index.rowsOfKeys(keys, false), label);
  }

  // Both forms of a message's features sum the same rows in the same order, so the odds agree
  // to the last bit.
  private scoresOfRows(rows: number[]): ClassScore[] {
    const labelCount = this.labels.length;
    const sums = new Float64Array(labelCount);
    for (const row of rows) for (let i = 0, at = row * labelCount; i < labelCount; i++, at++) sums[i] += this.table[at];
    return this.labels.map((label, i) => ({ label, logOdds: rows.length ? sums[i] + this.priors[i] : 0 })).sort((a, b) => b.logOdds - a.logOdds);
  }

  private evidenceOfRows(rows: number[], label: string): number {
    const i = this.labels.indexOf(label);
    let sum = 0;
    if (i < 0) return sum;
    for (const row of rows) sum += this.table[row * this.labels.length + i];
    return sum;
  }

  /** wink's own scoring, kept to check the table against. */
  winkScores(features: string[]): ClassScore[] {
    return this.model.computeOdds(features).map(([label, logOdds]) => ({ label, logOdds }));
  }
}

/** The gate ('flag' vs 'legit') and the category model, stored together. */
export class CategoryModel {
  constructor(
    readonly gate: TextClassifier,
    readonly category: TextClassifier,
  ) {}

  static train(examples: Array<{ features: OutboundFeatures; label: string }>): CategoryModel {
    const gate = TextClassifier.train(examples.map((e) => ({ features: e.features.gate, label: e.label === LEGIT ? LEGIT : FLAG })));
    const category = TextClassifier.train(examples.filter((e) => e.label !== LEGIT).map((e) => ({ features: e.features.category, label: e.label })));
    return new CategoryModel(gate, category);
  }

  static fromJSON(json: { gate: unknown; category: unknown }): CategoryModel {
    return new CategoryModel(TextClassifier.fromJSON(JSON.stringify(json.gate)), TextClassifier.fromJSON(JSON.stringify(json.category)));
  }

  toJSON(): { gate: unknown; category: unknown } {
    return { gate: JSON.parse(this.gate.toJSON()) as unknown, category: JSON.parse(this.category.toJSON()) as unknown };
  }

  /**
   * log2 odds that the message should be held, from its `gate` features and a prior given by
   * the caller. Not the corpus's prior: the train corpus is about two thirds messages to hold,
   * real traffic is nearly all legitimate, and on a short text with little evidence the prior
   * decides ("What time is my appointment?" was held on the corpus's prior).
   */
  flagLogOdds(gate: string[], priorLogOdds: number): number {
    return this.gate.evidenceLogOdds(gate, FLAG) + priorLogOdds;
  }

  /** `flagLogOdds` of a message's outbound features, from their keys (what the judgement uses). */
  flagLogOddsOfKeys(keys: FeatureKeys, priorLogOdds: number): number {
    return this.gate.evidenceLogOddsOfKeys(keys, FLAG) + priorLogOdds;
  }
}

const LEGIT = 'legit';
const FLAG = 'flag';
