import naiveBayes from 'wink-naive-bayes-text-classifier';
import type { Token } from './tokens';

/**
 * The statistical layer: a naive Bayes text classifier (wink-naive-bayes-text-classifier) over
 * stems and stem pairs, trained only on the train part of the labelled corpus
 * (`npm run scan:train`). Words nobody listed still count: a payday offer that never says
 * "payday" shares "paid", "tonight", "approv", "$400" with the ones that do.
 */
export interface ClassScore {
  label: string;
  /** log2 odds of this label against all the others; > 0 means more likely than not. */
  logOdds: number;
}

/** Stems, adjacent stem pairs, and a few shapes (an amount, a link) as features. */
export function messageFeatures(tokens: Token[], text: string): string[] {
  const features: string[] = [];
  let previous = '';
  for (const token of tokens) {
    const s = /^\$\d/.test(token.stem) ? '__amount' : /^\d/.test(token.stem) ? '__number' : token.stem;
    features.push(s);
    if (previous) features.push(`${previous}_${s}`);
    previous = s;
  }
  if (/https?:\/\/|www\.|\b[a-z0-9-]+\.(com|net|org|info|io|co|us|xyz|top|site|online|click|link|app)\b/.test(text)) features.push('__link');
  return features;
}

export class TextClassifier {
  private constructor(private readonly model: ReturnType<typeof naiveBayes>) {}

  static train(examples: Array<{ features: string[]; label: string }>): TextClassifier {
    const model = naiveBayes();
    // Presence, not counts: a spammer repeating "FREE" five times should not count five times.
    model.defineConfig({ considerOnlyPresence: true, smoothingFactor: 0.5 });
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
