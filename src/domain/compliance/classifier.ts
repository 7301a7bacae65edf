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

export class TextClassifier {
  private constructor(private readonly model: ReturnType<typeof naiveBayes>) {}

  static train(examples: Array<{ features: string[]; label: string }>): TextClassifier {
    const model = naiveBayes();
    // Presence, not counts: a spammer repeating "FREE" five times should not count five times.
    model.defineConfig({ considerOnlyPresence: true, smoothingFactor: 0.2 });
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

  /** Every label's log odds, most likely first. */
  scores(features: string[]): ClassScore[] {
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

  /** log2 odds that the message should be held, and the categories most likely first. */
  score(features: string[]): { flagLogOdds: number; categories: ClassScore[] } {
    const flagLogOdds = this.gate.scores(features).find((s) => s.label === FLAG)?.logOdds ?? -Infinity;
    return { flagLogOdds, categories: this.category.scores(features) };
  }
}

const LEGIT = 'legit';
const FLAG = 'flag';
