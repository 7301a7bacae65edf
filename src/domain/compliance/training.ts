import { CategoryModel, TextClassifier, messageFeatures } from './classifier';
import { normalizeText } from './normalize';
import { tokenize } from './tokens';

/** Features of a text exactly as the judgement computes them, so training and use agree. */
export function textFeatures(text: string): string[] {
  const norm = normalizeText(text);
  return messageFeatures(tokenize(norm.text), norm.text);
}

/** The category model: policy categories plus 'legit', from labelled outbound messages. */
export function fitCategoryModel(examples: Array<{ text: string; label: string }>): CategoryModel {
  return CategoryModel.train(examples.map((e) => ({ features: textFeatures(e.text), label: e.label })));
}

/** The reply model: 'opt_out' vs 'not_opt_out', from labelled inbound replies. */
export function fitReplyModel(examples: Array<{ text: string; label: string }>): TextClassifier {
  return TextClassifier.train(examples.map((e) => ({ features: textFeatures(e.text), label: e.label })));
}
