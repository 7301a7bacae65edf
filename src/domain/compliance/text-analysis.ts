import { messageFeatures } from './classifier';
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
