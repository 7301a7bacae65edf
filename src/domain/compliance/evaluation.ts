import type { Judgement } from './judge';
import { CATEGORY_IDS } from './policy';

const POLICY_CATEGORIES = new Set<string>(CATEGORY_IDS);
/** A finding about a policy category, not about a link or the length. */
const isPolicyCategory = (code: string) => POLICY_CATEGORIES.has(code);

/**
 * Figures for a judge on labelled messages: the same code measures the cross-validation on
 * the train part, the held-out test and the scan benchmark, so they report alike.
 */
export interface LabelledMessage {
  text: string;
  /** A policy category id, or 'legit'. */
  label: string;
}

export interface BinaryFigures {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  trueNegatives: number;
  precision: number;
  recall: number;
}

export interface JudgementFigures {
  examples: number;
  /** Held before sending (`blocked`: a `block` or `review` finding) vs any category label. */
  blocked: BinaryFigures;
  /** Per category: how many, and the share with a finding of that very category. */
  perCategory: Record<string, { examples: number; recall: number }>;
  /**
   * On messages labelled with a category: the share of their category findings whose category is
   * the label (`precision`), and how many category findings each has on average (`perMessage`),
   * so naming more categories cannot pass for better recall.
   */
  categoryFindings: { precision: number; perMessage: number };
  /** True label → the first finding's code ('legit' when none) → count. */
  confusion: Record<string, Record<string, number>>;
  misses: Array<{ text: string; label: string; found: string[] }>;
}

const ratio = (a: number, b: number) => (b === 0 ? 1 : Math.round((a / b) * 10_000) / 10_000);

export function binaryFigures(pairs: Array<{ actual: boolean; predicted: boolean }>): BinaryFigures {
  const count = (actual: boolean, predicted: boolean) => pairs.filter((p) => p.actual === actual && p.predicted === predicted).length;
  const tp = count(true, true);
  const fp = count(false, true);
  const fn = count(true, false);
  return {
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    trueNegatives: count(false, false),
    precision: ratio(tp, tp + fp),
    recall: ratio(tp, tp + fn),
  };
}

export function measureJudgement(examples: LabelledMessage[], judge: (text: string) => Judgement): JudgementFigures {
  const pairs: Array<{ actual: boolean; predicted: boolean }> = [];
  const perCategory: Record<string, { examples: number; hits: number }> = {};
  const confusion: Record<string, Record<string, number>> = {};
  const misses: JudgementFigures['misses'] = [];
  let categoryFindings = 0;
  let ownCategoryFindings = 0;
  let labelledMessages = 0;
  for (const e of examples) {
    const j = judge(e.text);
    const codes = j.findings.map((f) => f.code);
    const positive = e.label !== 'legit';
    pairs.push({ actual: positive, predicted: j.blocked });
    const row = (confusion[e.label] ??= {});
    const predicted = codes[0] ?? 'legit';
    row[predicted] = (row[predicted] ?? 0) + 1;
    if (positive) {
      const c = (perCategory[e.label] ??= { examples: 0, hits: 0 });
      c.examples++;
      if (codes.includes(e.label)) c.hits++;
      labelledMessages++;
      const categories = codes.filter(isPolicyCategory);
      categoryFindings += categories.length;
      ownCategoryFindings += categories.filter((code) => code === e.label).length;
    }
    if (positive !== j.blocked || (positive && !codes.includes(e.label))) misses.push({ text: e.text, label: e.label, found: codes });
  }
  return {
    examples: examples.length,
    blocked: binaryFigures(pairs),
    perCategory: Object.fromEntries(Object.entries(perCategory).map(([k, v]) => [k, { examples: v.examples, recall: ratio(v.hits, v.examples) }])),
    categoryFindings: { precision: ratio(ownCategoryFindings, categoryFindings), perMessage: ratio(categoryFindings, labelledMessages) },
    confusion,
    misses,
  };
}

/** The share of `texts` the judge holds before sending: on plain legitimate messages, the false-hold rate. */
export function heldRate(texts: string[], judge: (text: string) => Judgement): number {
  return ratio(texts.filter((t) => judge(t).blocked).length, texts.length);
}
