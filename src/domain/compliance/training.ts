import { CategoryModel, TextClassifier } from './classifier';
import { analyseText } from './text-analysis';

/** Features of a text exactly as the judgement computes them, so training and use agree. */
export const textFeatures = (text: string): string[] => analyseText(text).features;

const labelled = (examples: Array<{ text: string; label: string }>) => examples.map((e) => ({ features: textFeatures(e.text), label: e.label }));

/** The category model: policy categories plus 'legit', from labelled outbound messages. */
export function fitCategoryModel(examples: Array<{ text: string; label: string }>): CategoryModel {
  return CategoryModel.train(labelled(examples));
}

/** The reply model: 'opt_out' vs 'not_opt_out', from labelled inbound replies. */
export function fitReplyModel(examples: Array<{ text: string; label: string }>): TextClassifier {
  return TextClassifier.train(labelled(examples));
}
