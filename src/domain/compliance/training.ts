import { CategoryModel, TextClassifier } from './classifier';
import type { OutboundFeatures } from './features';
import { analyseText, outboundFeaturesOf } from './text-analysis';

/** The reply model's features of a text, exactly as reading a reply computes them, so training and use agree. */
export const textFeatures = (text: string): string[] => analyseText(text).features;

const labelled = (examples: Array<{ text: string; label: string }>) => examples.map((e) => ({ features: textFeatures(e.text), label: e.label }));

/** The outbound models' features of a text, exactly as the judgement computes them. */
export const outboundTextFeatures = (text: string): OutboundFeatures => outboundFeaturesOf(analyseText(text));

/** The category model: policy categories plus 'legit', from labelled outbound messages. */
export function fitCategoryModel(examples: Array<{ text: string; label: string }>): CategoryModel {
  return CategoryModel.train(examples.map((e) => ({ features: outboundTextFeatures(e.text), label: e.label })));
}

/** The reply model: 'opt_out' vs 'not_opt_out', from labelled inbound replies. */
export function fitReplyModel(examples: Array<{ text: string; label: string }>): TextClassifier {
  return TextClassifier.train(labelled(examples));
}
