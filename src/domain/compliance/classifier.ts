import naiveBayes from 'wink-naive-bayes-text-classifier';
import type { Token } from './tokens';

/**
 * The statistical layer: a naive Bayes text classifier (wink-naive-bayes-text-classifier) over
 * stems and stem pairs, trained only on the train part of the labelled corpus
 * (`npm run scan:train`). Words nobody listed still count: a payday offer that never says
 * "payday" shares "paid", "tonight", "approv", "$400" with the ones that do.
 *
 * Two models, because one naive Bayes over twenty labels let the large 'legit' class swamp
 * the small categories (measured: 0.54 top-1 accuracy in cross-validation): a gate that
 * tells held-back messages from legitimate ones (two balanced classes), and a category model
 * fitted on the held-back messages alone that says which category.
 */
export interface ClassScore {
  label: string;
  /** log2 odds of this label against all the others; > 0 means more likely than not. */
  logOdds: number;
}

/**
 * Stems (each once) and a few shapes: an amount, a number, a link. Stem pairs were tried and
 * measured worse in cross-validation on the train part (they split the little evidence a
 * category has into rarer features).
 */
export function messageFeatures(tokens: Token[], text: string): string[] {
  const features = new Set<string>();
  for (const token of tokens) features.add(/^\$\d/.test(token.stem) ? '__amount' : /^\d/.test(token.stem) ? '__number' : token.stem);
  if (/https?:\/\/|www\.|\b[a-z0-9-]+\.(com|net|org|info|io|co|us|xyz|top|site|online|click|link|app|biz|shop|store)\b/.test(text)) features.add('__link');
  return [...features];
}

/** wink's export: [config, samples per label, feature counts per label, feature totals per label, vocabulary]. */
type WinkExport = [unknown, Record<string, number>, Record<string, Record<string, number>>, Record<string, number>, string[]];

/** Additive smoothing; chosen by cross-validation on the train part. */
const SMOOTHING = 0.2;

export class TextClassifier {
  private readonly counts: WinkExport;
  private readonly labels: string[];
  /** Per feature, per label: log2 P(f | label) − log2 P(f | not label), smoothed as wink smooths. */
  private readonly weights = new Map<string, Float64Array>();
  /** Per label: log2 samples(label) − log2 samples(not label). */
  private readonly priors: Float64Array;

  /**
   * wink fits and stores the model; scoring reads a table made once from its counts, because
   * wink's own `computeOdds` sums every other label's counts again for each feature and label
   * (labels² work per feature), which made it most of the scan's time. The table gives the same
   * odds (a unit test compares them with wink's).
   */
  private constructor(private readonly model: ReturnType<typeof naiveBayes>) {
    this.counts = JSON.parse(model.exportJSON()) as WinkExport;
    const [, samples, count, words, vocabulary] = this.counts;
    this.labels = Object.keys(samples);
    const totalSamples = this.labels.reduce((n, l) => n + samples[l], 0);
    const totalWords = this.labels.reduce((n, l) => n + words[l], 0);
    const smoothing = SMOOTHING * vocabulary.length;
    this.priors = Float64Array.from(this.labels, (l) => Math.log2(samples[l]) - Math.log2(totalSamples - samples[l]));
    for (const f of vocabulary) {
      const total = this.labels.reduce((n, l) => n + (count[l][f] ?? 0), 0);
      this.weights.set(
        f,
        Float64Array.from(this.labels, (l) => {
          const inLabel = count[l][f] ?? 0;
          return Math.log2(inLabel + SMOOTHING) - Math.log2(words[l] + smoothing) - (Math.log2(total - inLabel + SMOOTHING) - Math.log2(totalWords - words[l] + smoothing));
        }),
      );
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
   * The feature that speaks most for `label` against the other labels (the largest smoothed
   * log-likelihood ratio), to show a tenant what the model reacted to.
   */
  strongestEvidence(features: string[], label: string): string | null {
    const [, , count, words, vocabulary] = this.counts;
    const smoothing = SMOOTHING * vocabulary.length;
    const others = Object.keys(words).filter((l) => l !== label);
    const otherWords = others.reduce((n, l) => n + words[l], 0);
    let best: string | null = null;
    let bestRatio = 0;
    for (const f of features) {
      if (f.startsWith('__')) continue;
      const inLabel = ((count[label]?.[f] ?? 0) + SMOOTHING) / ((words[label] ?? 0) + smoothing);
      const elsewhere = (others.reduce((n, l) => n + (count[l]?.[f] ?? 0), 0) + SMOOTHING) / (otherWords + smoothing);
      const ratio = Math.log2(inLabel / elsewhere);
      if (ratio > bestRatio) [best, bestRatio] = [f, ratio];
    }
    return best;
  }

  /** Every label's log odds, most likely first (all 0 when no feature is known to the model). */
  scores(features: string[]): ClassScore[] {
    const sums = new Float64Array(this.labels.length);
    let known = 0;
    for (const f of features) {
      const w = this.weights.get(f);
      if (!w) continue;
      known++;
      for (let i = 0; i < sums.length; i++) sums[i] += w[i];
    }
    return this.labels.map((label, i) => ({ label, logOdds: known ? sums[i] + this.priors[i] : 0 })).sort((a, b) => b.logOdds - a.logOdds);
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

  static train(examples: Array<{ features: string[]; label: string }>): CategoryModel {
    const gate = TextClassifier.train(examples.map((e) => ({ features: e.features, label: e.label === LEGIT ? LEGIT : FLAG })));
    const category = TextClassifier.train(examples.filter((e) => e.label !== LEGIT));
    return new CategoryModel(gate, category);
  }

  static fromJSON(json: { gate: unknown; category: unknown }): CategoryModel {
    return new CategoryModel(TextClassifier.fromJSON(JSON.stringify(json.gate)), TextClassifier.fromJSON(JSON.stringify(json.category)));
  }

  toJSON(): { gate: unknown; category: unknown } {
    return { gate: JSON.parse(this.gate.toJSON()) as unknown, category: JSON.parse(this.category.toJSON()) as unknown };
  }

  /** log2 odds that the message should be held. */
  flagLogOdds(features: string[]): number {
    return this.gate.scores(features).find((s) => s.label === FLAG)?.logOdds ?? -Infinity;
  }
}

const LEGIT = 'legit';
const FLAG = 'flag';
