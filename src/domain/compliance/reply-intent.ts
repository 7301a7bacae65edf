import { classifyInboundKeyword } from '../keywords';
import { TextClassifier } from './classifier';
import { binaryFigures, type BinaryFigures } from './evaluation';
import { PhraseSet } from './phrase-matcher';
import { analyseText } from './text-analysis';
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
    'stop|quit|cease|end|discontinue * text|texting|texts|txt|txting|txts|message|messages|messaging|msg|msgs|sending|contacting|bothering|alerts|spamming',
    'stop blowing up my phone',
    'no more text|texts|txt|txts|message|messages|msg|msgs|sms',
    'remove|delete|take * me|my number|this number * list|off|from',
    'remove|delete|erase my|this number',
    'remove|unsubscribe|unsub me',
    'take me off',
    'get off * list',
    'opt me out',
    'opt|opting out',
    'optout',
    'dont * text|txt|message|contact|send me',
    'do not * text|txt|message|contact|send me',
    'dont|not want * text|texts|messages',
    'no need to text|message me',
    'wrong number|person|guy|girl|lady|#',
    'rong number|#',
    'not|never * sign|signed|subscribe|subscribed * up|for',
    'didnt * sign up',
    'didn t * sign up',
    'lose my number',
    'leave me alone',
    'go away',
    'unsubscribe|unsub|unsubcribe|unsuscribe',
    'cancel * text|texts|messages|msgs|alerts',
    'report you',
    'spam',
    'block|blocking this number',
    'no me|nos * mand%|envi%|escrib%|text%|molest%',
    'no mas mensajes|textos',
    'dejen|deje * de * mand%|envi%|escrib%|molest%',
    'numero equivocado',
    'equivocaron de numero',
    'borr%|elimin% mi numero',
    'cancel% los|mis mensajes',
    'dejenme|dejame en paz',
    'ya basta',
    'no soy',
  ].map((phrase) => ({ phrase, value: phrase })),
);

/** "Remove me from the waitlist", "take me off autopay": about something other than the texts. */
const ABOUT_SOMETHING_ELSE = new PhraseSet(
  [
    'waitlist|waiting|autopay|catalog|catalogue|email|emails|newsletter|mailing|appointment|appointments|order|schedule|shift|reservation|subscription|renewal|delivery|account|class|roster|program|membership|plan|policy',
    'texts|messages are fine|ok|okay',
    'keep * texting|texts',
    'i texted|sent|messaged|called * wrong',
    'accidentally|mistake * unsubscribed|stopped|opted',
    'get * again|back',
    'resubscribe|unstop',
  ].map((phrase) => ({ phrase, value: true as const })),
);

/** The whole reply is a stop word with filler around it: "Stop please", "STOP IT", "stop stop stop", "stawp". */
const STOP_WORD = /^(s+t+[oa]+w*[pw]+|sotp|stahp|stp|unsub\w*|unsusc\w*|optout|opt|out|remove|cancel|quit|end)$/;
const FILLER = new Set([
  'please',
  'pls',
  'plz',
  'plez',
  'now',
  'it',
  'thanks',
  'thank',
  'you',
  'ty',
  'thx',
  'ok',
  'k',
  'bye',
  'seriously',
  'lol',
  'omg',
  'already',
  'just',
  'me',
  'asap',
  'dude',
  'man',
  'por',
  'favor',
  'porfa',
  'ya',
  'the',
  'texts',
  'texting',
]);

function isBareStopRequest(words: string[]): boolean {
  const meaningful = words.filter((w) => !FILLER.has(w));
  return meaningful.length > 0 && meaningful.every((w) => STOP_WORD.test(w));
}

const MENTIONS_TEXTS = /\b(texts?|texting|txts?|sms|messages?|msgs?|mensajes|textos)\b/;

export const REPLY_THRESHOLDS = {
  /** A listed phrase about the texts, and the model not firmly against it (log2 odds ≥ this): act on it. */
  phraseConfident: -6,
  /** The model alone at or above this: act on it. */
  modelConfident: 8,
  /** Below confidence but at or above this (or a phrase the model doubts): ask the tenant. */
  uncertain: 1,
};

export type ReplyIntentClassifier = (body: string) => ReplyJudgement;

export function createReplyIntentClassifier(model: TextClassifier, thresholds = REPLY_THRESHOLDS): ReplyIntentClassifier {
  return (body) => {
    if (classifyInboundKeyword(body)) return { intent: 'other', logOdds: 0, phrase: null };
    const { norm, tokens, features } = analyseText(body);
    const odds = model.scores(features).find((s) => s.label === 'opt_out')?.logOdds ?? -Infinity;
    const phrase = OPT_OUT_PHRASES.matchAll(tokens)[0]?.value ?? null;
    const aboutTexts = ABOUT_SOMETHING_ELSE.matchAll(tokens).length === 0;
    const bare = isBareStopRequest(norm.text.split(/[^a-z]+/).filter(Boolean));
    if (bare || (aboutTexts && ((phrase && odds >= thresholds.phraseConfident) || odds >= thresholds.modelConfident)))
      return { intent: 'opt_out', logOdds: odds, phrase: phrase ?? (bare ? norm.text.trim() : null) };
    // About an appointment, an order, a waitlist: worth asking about only when it names the texts too.
    if (!aboutTexts)
      return { intent: (phrase || odds >= thresholds.uncertain) && MENTIONS_TEXTS.test(norm.text) ? 'uncertain_opt_out' : 'other', logOdds: odds, phrase };
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
