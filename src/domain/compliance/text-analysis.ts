import { categoryFeatures, featureKeys, gateFeatures, messageFeatures, type OutboundFeatures } from './features';
import { linkShapeFeatures } from './link-shapes';
import { normalizeText, type NormalizedText } from './normalize';
import { tokenize, type Token } from './tokens';

/** A text as every part of the engine reads it: normalised, tokenised, and as model features. */
export interface AnalysedText {
  readonly norm: NormalizedText;
  readonly tokens: Token[];
  readonly features: string[];
}

/**
 * One sequence for judging, reading replies and training, so the models see what they were
 * fitted on. The features are made on first use: the judgement needs none for a message the
 * lexicon settles.
 */
export function analyseText(text: string): AnalysedText {
  const norm = normalizeText(text);
  const tokens = tokenize(norm.text);
  let features: string[] | undefined;
  return {
    norm,
    tokens,
    get features() {
      return (features ??= messageFeatures(tokens, norm.text));
    },
  };
}

/**
 * What the outbound models read of an analysed text, each part computed on first use: the
 * judgement scores from the keys, and needs them only when the lexicon did not settle the
 * message (the n-grams only when the gate holds it); fitting reads the strings.
 */
export function outboundFeaturesOf(analysed: AnalysedText): OutboundFeatures {
  const { tokens, norm } = analysed;
  let keys: OutboundFeatures['keys'] | undefined;
  let gate: string[] | undefined;
  let category: string[] | undefined;
  return {
    get keys() {
      // The shape of its links is what a phishing text has whatever its words (link-shapes.ts).
      return (keys ??= featureKeys(tokens, [...analysed.features, ...linkShapeFeatures(norm.text)], norm.text));
    },
    get gate() {
      return (gate ??= gateFeatures(this.keys));
    },
    get category() {
      return (category ??= categoryFeatures(this.keys, this.gate));
    },
  };
}
