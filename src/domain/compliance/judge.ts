import { CategoryModel, type ClassScore } from './classifier';
import { LEXICON } from './lexicon';
import { deceptiveLinks } from './link-shapes';
import { originalSpan } from './normalize';
import { PhraseSet, type PhraseHit } from './phrase-matcher';
import { LINK_POLICY, MESSAGE_RULES, POLICY, verdictFor, type CategoryId, type PolicySource, type SenderType, type Verdict } from './policy';
import { analyseText, outboundFeaturesOf } from './text-analysis';
import { THRESHOLDS, type Thresholds } from './thresholds';
import type { Token } from './tokens';
import categoryModel from './models/category-model.json';

export const MAX_BODY_LENGTH = 1600;

export interface JudgeContext {
  /** The route the message goes out on; 10DLC unless the tenant's sender says otherwise. */
  senderType?: SenderType;
  /** The tenant declared an age gate at opt-in (needed for alcohol, firearms, tobacco). */
  ageGated?: boolean;
  /** The tenant wants to be told when a message does not say how to get help (a warning only). */
  requireHelpLanguage?: boolean;
}

export interface Finding {
  /** The policy category id, or a rule of its own (`url.public_shortener`, `body.too_long`). */
  code: string;
  category: string;
  verdict: Verdict;
  reason: string;
  source: Pick<PolicySource, 'publisher' | 'title' | 'url'>;
  /** What in the message the finding is about, in the original text's offsets. */
  span: { start: number; end: number; text: string } | null;
  suggestedFix: string;
  /** How it was found: a listed term, a listed term with its context, or the trained model. */
  evidence: 'term' | 'term in context' | 'model';
}

export interface Judgement {
  findings: Finding[];
  /** True when any finding is `block` or `review`: nothing is sent until a person decides. */
  blocked: boolean;
}

export { THRESHOLDS, type Thresholds } from './thresholds';

const PHRASE_KINDS = ['strong', 'weak', 'context', 'unless', 'escalate'] as const;
type PhraseKind = (typeof PHRASE_KINDS)[number];

/** Every lexicon phrase in one set, so a message is walked once for all categories. */
const LEXICON_PHRASES = new PhraseSet(
  LEXICON.flatMap((rule, ruleIndex) => PHRASE_KINDS.flatMap((kind) => (rule[kind] ?? []).map((phrase) => ({ phrase, value: { ruleIndex, kind } })))),
);

type RuleHits = Record<PhraseKind, PhraseHit[]>;

/** The lexicon's hits in a message, per rule (rules without any hit are absent). */
function lexiconHits(tokens: Token[]): Map<number, RuleHits> {
  const byRule = new Map<number, RuleHits>();
  for (const hit of LEXICON_PHRASES.matchAll(tokens)) {
    let hits = byRule.get(hit.value.ruleIndex);
    if (!hits) byRule.set(hit.value.ruleIndex, (hits = { strong: [], weak: [], context: [], unless: [], escalate: [] }));
    hits[hit.value.kind].push(hit);
  }
  return byRule;
}

const covered = (hit: PhraseHit, by: PhraseHit[]) => by.some((u) => hit.first >= u.first && hit.first <= u.last);

function near(hit: PhraseHit, context: PhraseHit[], window: number): boolean {
  return context.some((c) => c.last >= hit.first - window && c.first <= hit.last + window && !(c.first === hit.first && c.last === hit.last));
}

interface Detection {
  category: CategoryId;
  evidence: Finding['evidence'];
  tokens: [number, number] | null;
  escalated: boolean;
}

/** The model's opinion, computed only when the lexicon alone did not settle the message. */
interface ModelView {
  flagLogOdds(): number;
  categories(): ClassScore[];
  /** The message's stem that speaks most for the category, if any does. */
  evidenceFor(category: CategoryId): string | null;
}

const PHISHING: CategoryId = 'fraud.phishing_impersonation';

/** The tokens inside [start, end) of the normalised text, or null when none is. */
function tokenRange(tokens: Token[], start: number, end: number): [number, number] | null {
  const first = tokens.findIndex((t) => t.start >= start);
  let last = first;
  while (last + 1 < tokens.length && tokens[last + 1].end <= end) last++;
  return first >= 0 && tokens[first].end <= end ? [first, last] : null;
}

/** What the lexicon and the model see in the message, before the route decides verdicts. */
function detectCategories(text: string, tokens: Token[], model: ModelView, thresholds: Thresholds): Detection[] {
  const found = new Map<CategoryId, Detection>();
  const add = (d: Detection) => {
    const existing = found.get(d.category);
    if (!existing) found.set(d.category, d);
    else if (d.escalated) existing.escalated = true;
  };
  const weakHits: Array<{ category: CategoryId; hit: PhraseHit; escalated: boolean }> = [];
  // A link that is not the named business's own is phishing whatever the message is about, so it
  // is named beside any other category (link-shapes.ts says where this comes from).
  const link = deceptiveLinks(text)[0];
  if (link) add({ category: PHISHING, evidence: 'term in context', tokens: tokenRange(tokens, link.start, link.end), escalated: false });
  const ruleHits = lexiconHits(tokens);
  // An innocent use the lexicon recognised ("lava cake", "quit smoking") makes the model alone less sure.
  const innocentUse = [...ruleHits.values()].some((h) => h.unless.length > 0);
  for (const [ruleIndex, hits] of ruleHits) {
    const rule = LEXICON[ruleIndex];
    const escalated = hits.escalate.length > 0;
    const strong = hits.strong.filter((h) => !covered(h, hits.unless));
    if (strong.length) {
      add({ category: rule.category, evidence: 'term', tokens: [strong[0].first, strong[0].last], escalated });
      continue;
    }
    const weak = hits.weak.filter((h) => !covered(h, hits.unless));
    if (!weak.length) continue;
    const inContext = weak.find((h) => near(h, hits.context, rule.window ?? 12));
    if (inContext) add({ category: rule.category, evidence: 'term in context', tokens: [inContext.first, inContext.last], escalated });
    else weakHits.push({ category: rule.category, hit: weak[0], escalated });
  }
  if (found.size) return alsoTheModelsCategory([...found.values()], tokens, model, thresholds);
  // Nothing listed is enough on its own: the gate decides whether to hold the message (a weak
  // term lowers its bar), and the category model says which category, even when the weak term
  // belongs to another one: "cash" is a payday word, but "$25 bonus cash, cash out instantly"
  // is a casino's. Keeping the weak term's category instead measured worse in cross-validation
  // on train (README, Compliance judgement).
  const flagLogOdds = model.flagLogOdds();
  const holdWithWeakTerm = weakHits.length > 0 && flagLogOdds >= thresholds.weakTermWithModel;
  if (!holdWithWeakTerm && flagLogOdds < thresholds.modelAlone + (innocentUse ? thresholds.innocentUsePenalty : 0)) return [];
  const category = model.categories()[0].label as CategoryId;
  const weak = weakHits.find((w) => w.category === category);
  if (weak) return [{ category, evidence: 'model', tokens: [weak.hit.first, weak.hit.last], escalated: weak.escalated }];
  return [modelDetection(category, tokens, model)];
}

/**
 * The model reads the whole message where a listed term names one category: when it is sure of
 * another, both are named, so the finding says what the message also is. Measured in
 * cross-validation on train (README, Compliance judgement).
 */
function alsoTheModelsCategory(detections: Detection[], tokens: Token[], model: ModelView, thresholds: Thresholds): Detection[] {
  if (thresholds.alsoModelCategory === Infinity) return detections;
  const [top] = model.categories();
  const category = top.label as CategoryId;
  if (top.logOdds < thresholds.alsoModelCategory || detections.some((d) => d.category === category)) return detections;
  return [...detections, modelDetection(category, tokens, model)];
}

function modelDetection(category: CategoryId, tokens: Token[], model: ModelView): Detection {
  const evidence = model.evidenceFor(category);
  const at = evidence === null ? -1 : tokens.findIndex((t) => t.stem === evidence);
  return { category, evidence: 'model', tokens: at >= 0 ? [at, at] : null, escalated: false };
}

const citation = ({ publisher, title, url }: PolicySource): Finding['source'] => ({ publisher, title, url });

/** "Reply HELP for help" and equivalents. */
const HELP_LANGUAGE = [/\b(reply|text|txt|send)\s+["'“]?help["'”]?\b/i, /\bhelp\s+(for|4)\s+(help|info|assistance|support)\b/i];

const URL = /\b(?:https?:\/\/)?((?:[a-z0-9-]+\.)+[a-z]{2,})(\/\S*)?/gi;

export type Judge = (body: string, ctx?: JudgeContext) => Judgement;

/** A judge with a given model: the shipped one, or one fitted on part of the train set while tuning. */
export function createJudge(model: CategoryModel, thresholds: Thresholds = THRESHOLDS): Judge {
  return (body, ctx = {}) => judgeWith(model, thresholds, body, ctx);
}

let shipped: Judge | undefined;
/**
 * The compliance judgement of one message: policy categories found by the lexicon (terms in
 * context) and the trained classifier, each with the verdict its route gives it, plus the
 * link and length rules. Missing brand or opt-out language is not judged here: the relay adds
 * them (src/domain/message-shaping.ts).
 *
 * The shipped model is models/category-model.json, fitted on the train part only.
 */
export function judgeMessage(body: string, ctx: JudgeContext = {}): Judgement {
  shipped ??= createJudge(CategoryModel.fromJSON(categoryModel));
  return shipped(body, ctx);
}

function judgeWith(model: CategoryModel, thresholds: Thresholds, body: string, ctx: JudgeContext): Judgement {
  const analysed = analyseText(body);
  const { norm, tokens } = analysed;
  const features = outboundFeaturesOf(analysed);
  const view: ModelView = {
    flagLogOdds: () => model.flagLogOddsOfKeys(features.keys, thresholds.gatePriorLogOdds),
    categories: () => model.category.scoresOfKeys(features.keys, true),
    evidenceFor: (c) => model.category.strongestEvidence(features.keys, c),
  };
  const route = { senderType: ctx.senderType ?? '10dlc', ageGated: ctx.ageGated ?? false };
  const findings: Finding[] = [];

  for (const d of detectCategories(norm.text, tokens, view, thresholds)) {
    const policy = POLICY[d.category];
    const verdict: Verdict = d.escalated ? 'block' : verdictFor(d.category, route);
    const span = d.tokens ? originalSpan(norm, body, tokens[d.tokens[0]].start, tokens[d.tokens[1]].end) : null;
    findings.push({
      code: d.category,
      category: policy.label,
      verdict,
      reason: d.escalated ? `${policy.reason} The message offers it in a way that is unlawful (no checks or records).` : policy.reason,
      source: citation(policy.sources[0]),
      span,
      suggestedFix: policy.fix,
      evidence: d.evidence,
    });
  }

  for (const m of body.matchAll(URL)) {
    const host = m[1].toLowerCase().replace(/^www\./, '');
    if (!LINK_POLICY.publicShorteners.includes(host)) continue;
    findings.push({
      code: 'url.public_shortener',
      category: 'public URL shortener',
      verdict: LINK_POLICY.verdict,
      reason: `${host} is a shared public link shortener; carriers filter messages that use them because spammers share them too.`,
      source: citation(LINK_POLICY.source),
      span: { start: m.index, end: m.index + m[0].length, text: m[0] },
      suggestedFix: 'Use the full link on your own domain, or a branded short domain you control.',
      evidence: 'term',
    });
    break;
  }

  if (ctx.requireHelpLanguage && !HELP_LANGUAGE.some((p) => p.test(body))) {
    findings.push({
      code: 'missing.help',
      category: 'missing HELP language',
      verdict: 'warn',
      reason: 'The message does not tell recipients how to get help.',
      source: citation(MESSAGE_RULES.optOut.sources[0]),
      span: null,
      suggestedFix: 'Add "Reply HELP for help."',
      evidence: 'term',
    });
  }

  if (body.length > MAX_BODY_LENGTH) {
    findings.push({
      code: 'body.too_long',
      category: 'too long',
      verdict: 'block',
      reason: `The message is ${body.length} characters; Twilio refuses bodies over ${MAX_BODY_LENGTH}.`,
      source: { publisher: 'Twilio', title: 'Message resource: Body', url: 'https://www.twilio.com/docs/messaging/api/message-resource' },
      span: { start: MAX_BODY_LENGTH, end: body.length, text: body.slice(MAX_BODY_LENGTH) },
      suggestedFix: 'Shorten the message, or link to the details.',
      evidence: 'term',
    });
  }
  return { findings, blocked: findings.some((f) => f.verdict !== 'warn') };
}
