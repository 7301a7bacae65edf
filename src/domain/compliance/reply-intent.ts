import { classifyInboundKeyword } from '../keywords';
import { TextClassifier } from './classifier';
import { binaryFigures, type BinaryFigures } from './evaluation';
import { normalizeText } from './normalize';
import { PhraseSet } from './phrase-matcher';
import { tokenize } from './tokens';
import { messageFeatures } from './classifier';
import replyModel from './models/reply-model.json';

/**
 * Free-text replies that ask to stop ("stop texting me", "wrong number", "no me manden más")
 * without being one of Twilio's keywords. CTIA's principles ask senders to honour opt-outs
 * given by any reasonable means, not only the keywords; a confident one is acted on like STOP,
 * an uncertain one is shown to the tenant to confirm.
 */
export type ReplyIntent = 'opt_out' | 'uncertain_opt_out' | 'other';

export interface ReplyJudgement {
  intent: ReplyIntent;
  /** The model's log2 odds of an opt-out request. */
  logOdds: number;
  /** The phrase that asked to stop, when one did. */
  phrase: string | null;
}

/** Phrases that ask to stop receiving texts, in English and Spanish. */
const OPT_OUT_PHRASES = new PhraseSet(
  [
    'stop|quit|cease * text|texting|texts|message|messaging|messages|msg|msgs|sending|contacting|bothering',
    'no more text|texts|message|messages|msg|msgs',
    'remove|delete|take * me|my number * list|off|from',
    'remove|delete my number',
    'take me off',
    'unsubscribe|unsub me',
    'opt me out',
    'do|dont|don t|not * text|message|contact me',
    'wrong number|person|guy|girl',
    'not|never * sign|signed|subscribe|subscribed * up|for',
    'lose my number',
    'leave me alone',
    'no me|nos * mand%|envi%|escrib%|text%',
    'no mas mensajes|textos',
    'dejen de * mand%|envi%|escrib%',
    'numero equivocado',
    'borr% mi numero',
  ].map((phrase) => ({ phrase, value: phrase })),
);

export const REPLY_THRESHOLDS = {
  /** A listed phrase and the model at or above this: act on it. */
  phraseConfident: -1,
  /** The model alone at or above this: act on it. */
  modelConfident: 8,
  /** Below confidence but at or above this (or a phrase the model doubts): ask the tenant. */
  uncertain: -3,
};

export type ReplyIntentClassifier = (body: string) => ReplyJudgement;

export function createReplyIntentClassifier(model: TextClassifier, thresholds = REPLY_THRESHOLDS): ReplyIntentClassifier {
  return (body) => {
    if (classifyInboundKeyword(body)) return { intent: 'other', logOdds: 0, phrase: null };
    const norm = normalizeText(body);
    const tokens = tokenize(norm.text);
    const odds = model.scores(messageFeatures(tokens, norm.text)).find((s) => s.label === 'opt_out')?.logOdds ?? -Infinity;
    const phrase = OPT_OUT_PHRASES.matchAll(tokens)[0]?.value ?? null;
    if ((phrase && odds >= thresholds.phraseConfident) || odds >= thresholds.modelConfident) return { intent: 'opt_out', logOdds: odds, phrase };
    if (phrase || odds >= thresholds.uncertain) return { intent: 'uncertain_opt_out', logOdds: odds, phrase };
    return { intent: 'other', logOdds: odds, phrase };
  };
}

let shipped: ReplyIntentClassifier | undefined;
/** With the shipped model (models/reply-model.json, fitted on the train part only). */
export function classifyReplyIntent(body: string): ReplyJudgement {
  shipped ??= createReplyIntentClassifier(TextClassifier.fromJSON(JSON.stringify(replyModel)));
  return shipped(body);
}

export interface ReplyIntentFigures {
  examples: number;
  /** Acted on ('opt_out') vs labelled opt-out. */
  confidentOptOut: BinaryFigures;
  /** Acted on or flagged for the tenant vs labelled opt-out. */
  flaggedOptOut: BinaryFigures;
  misses: Array<{ text: string; label: string; intent: ReplyIntent }>;
}

export function measureReplyIntent(examples: Array<{ text: string; label: string }>, classify: ReplyIntentClassifier): ReplyIntentFigures {
  const rows = examples.map((e) => ({ e, intent: classify(e.text).intent }));
  const actual = (label: string) => label === 'opt_out';
  return {
    examples: examples.length,
    confidentOptOut: binaryFigures(rows.map((r) => ({ actual: actual(r.e.label), predicted: r.intent === 'opt_out' }))),
    flaggedOptOut: binaryFigures(rows.map((r) => ({ actual: actual(r.e.label), predicted: r.intent !== 'other' }))),
    misses: rows.filter((r) => actual(r.e.label) !== (r.intent === 'opt_out')).map((r) => ({ text: r.e.text, label: r.e.label, intent: r.intent })),
  };
}
