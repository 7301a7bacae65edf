import { categoryFeatures, gateFeatures, messageFeatures, type OutboundFeatures } from './classifier';
import { normalizeText, type NormalizedText } from './normalize';
import { tokenize, type Token } from './tokens';

/** A text as every part of the engine reads it: normalised, tokenised, and as model features. */
export interface AnalysedText {
  norm: NormalizedText;
  tokens: Token[];
  features: string[];
}

/** One sequence for judging, reading replies and training, so the models see what they were fitted on. */
export function analyseText(text: string): AnalysedText {
  const norm = normalizeText(text);
  const tokens = tokenize(norm.text);
  return { norm, tokens, features: messageFeatures(tokens, norm.text) };
}

/**
 * What the outbound models read of an analysed text, each part computed on first use: the
 * judgement needs the gate's features only when the lexicon did not settle the message, and
 * the category model's (many more) only when the gate holds it.
 */
export function outboundFeaturesOf({ tokens, norm, features }: AnalysedText): OutboundFeatures {
  let gate: string[] | undefined;
  let category: string[] | undefined;
  return {
    get gate() {
      return (gate ??= gateFeatures(tokens, features));
    },
    get category() {
      return (category ??= categoryFeatures(norm.text, this.gate));
    },
  };
}
