import { FIELD_NAME, type ContactFields } from './contact-fields';
import { judgeMessage, MAX_BODY_LENGTH, type JudgeContext } from './compliance/judge';
import { carriesOptOutLanguage, shapeOutgoingBody } from './message-shaping';
import { estimateSegments, type SegmentEstimate } from './segments';

/**
 * Message templates: text with merge fields filled from a contact's values (`contactMergeValues`)
 * when the audience is prepared. `{{first_name}}` is the contact's `first_name` field; `{{firstName}}`
 * names the same field (camelCase is written as the field's snake_case name); and
 * `{{first_name|there}}` falls back to "there" for a contact without one (or whose value is
 * refused, see `refusedFieldValue`). A field with no fallback is required: a contact without
 * it is not sent the message, and says why. Parsed by hand: the syntax is four rules, and a
 * general template engine (Handlebars, Mustache) would bring loops, helpers and HTML escaping
 * that an SMS must not have.
 */

/** A merge field may appear any number of times; a template names at most this many different ones. */
export const MAX_TEMPLATE_FIELDS = 10;
/** A fallback is a few words, not a second message. */
export const MAX_FALLBACK_LENGTH = 100;

export type TemplatePart = { text: string } | { field: string; fallback: string | null };

export interface MessageTemplate {
  parts: TemplatePart[];
  /** The fields it names, each once, in order of first use. */
  fields: string[];
}

export interface TemplateProblem {
  /** Offset in the template's text. */
  at: number;
  message: string;
}

const OPEN = '{{';
const CLOSE = '}}';

/**
 * What a contact offers its templates: its custom fields, and two from the contact itself unless
 * a custom field of that name exists: `name` (as given) and `first_name` (its first word).
 */
export function contactMergeValues(contact: { name: string | null; fields: ContactFields }): ContactFields {
  const name = contact.name?.trim() ?? '';
  const own: ContactFields = name ? { name, first_name: name.split(/\s+/)[0] } : {};
  return { ...own, ...contact.fields };
}

/** `firstName` → `first_name`; a name that is not a field name after that is null. */
export function mergeFieldName(written: string): string | null {
  const snake = written
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
  return FIELD_NAME.test(snake) && snake !== '__proto__' ? snake : null;
}

/** The template's parts, or every problem found in it (each with where it is). */
export function parseTemplate(source: string): { ok: true; template: MessageTemplate } | { ok: false; problems: TemplateProblem[] } {
  const parts: TemplatePart[] = [];
  const problems: TemplateProblem[] = [];
  const fields: string[] = [];
  let text = '';
  let at = 0;
  while (at < source.length) {
    const open = source.indexOf(OPEN, at);
    if (open < 0) {
      text += source.slice(at);
      break;
    }
    text += source.slice(at, open);
    const close = source.indexOf(CLOSE, open + OPEN.length);
    const nextOpen = source.indexOf(OPEN, open + OPEN.length);
    if (close < 0 || (nextOpen >= 0 && nextOpen < close)) {
      problems.push({ at: open, message: `"${OPEN}" at ${open} is not closed with "${CLOSE}"` });
      text += OPEN;
      at = open + OPEN.length;
      continue;
    }
    const inside = source.slice(open + OPEN.length, close);
    const bar = inside.indexOf('|');
    const written = bar < 0 ? inside : inside.slice(0, bar);
    const fallback = bar < 0 ? null : inside.slice(bar + 1).trim();
    const field = mergeFieldName(written);
    if (field === null) {
      problems.push({
        at: open,
        message: written.trim()
          ? `"${written.trim()}" at ${open} is not a field name (letters, digits and _, up to 40)`
          : `"${OPEN}${inside}${CLOSE}" at ${open} names no field`,
      });
    } else if (fallback !== null && fallback.length > MAX_FALLBACK_LENGTH) {
      problems.push({ at: open, message: `the fallback for "${field}" at ${open} is ${fallback.length} characters; at most ${MAX_FALLBACK_LENGTH}` });
    } else if (fallback !== null && /[{}]/.test(fallback)) {
      problems.push({ at: open, message: `the fallback for "${field}" at ${open} holds a brace; a fallback is plain text` });
    } else {
      if (text) parts.push({ text });
      text = '';
      parts.push({ field, fallback });
      if (!fields.includes(field)) fields.push(field);
    }
    at = close + CLOSE.length;
  }
  if (text) parts.push({ text });
  if (fields.length > MAX_TEMPLATE_FIELDS) problems.push({ at: 0, message: `names ${fields.length} different fields; at most ${MAX_TEMPLATE_FIELDS}` });
  return problems.length ? { ok: false, problems } : { ok: true, template: { parts, fields } };
}

/**
 * The template as the compliance engine judges it once for every recipient: the fixed text,
 * each field shown as its fallback, or as its name in brackets when it has none. The filled
 * values are judged on their own (`refusedFieldValue`).
 */
export function fixedText(template: MessageTemplate): string {
  return template.parts.map((p) => ('text' in p ? p.text : (p.fallback ?? `[${p.field}]`))).join('');
}

/** Why a filled value is not put into a message (see `refusedFieldValue`). */
export interface RefusedValue {
  field: string;
  reason: 'control_characters' | 'link' | 'opt_out_language' | 'content';
  detail: string;
}

/** A field's value as filled into one message: the contact's, or a fallback (with why). */
export interface FilledField {
  field: string;
  value: string;
  from: 'contact' | 'fallback';
  refused?: RefusedValue;
}

export type RenderedTemplate =
  { ok: true; body: string; filled: FilledField[] } | { ok: false; missing: string[]; refused: RefusedValue[]; filled: FilledField[] };

/**
 * One contact's message. `refuse` judges each field's value once (the caller decides how, e.g.
 * `refusedFieldValue` with the compliance engine). Where the contact's value is missing, empty
 * or refused, each use of the field takes its own fallback; a use without one means the
 * message is not made, and the answer says which fields were missing or refused.
 */
export function renderTemplate(
  template: MessageTemplate,
  values: ContactFields,
  refuse: (field: string, value: string) => RefusedValue | null = () => null,
): RenderedTemplate {
  const accepted = new Map<string, string>();
  const refused = new Map<string, RefusedValue>();
  for (const field of template.fields) {
    const value = (Object.hasOwn(values, field) ? values[field] : '').trim();
    if (!value) continue;
    const refusal = refuse(field, value);
    if (refusal) refused.set(field, refusal);
    else accepted.set(field, value);
  }
  const filled: FilledField[] = [];
  const unfilled = new Set<string>();
  const pieces = template.parts.map((part) => {
    if ('text' in part) return part.text;
    const value = accepted.get(part.field);
    const refusal = refused.get(part.field);
    const fill: FilledField | null =
      value !== undefined
        ? { field: part.field, value, from: 'contact' }
        : part.fallback !== null
          ? { field: part.field, value: part.fallback, from: 'fallback', ...(refusal ? { refused: refusal } : {}) }
          : null;
    if (!fill) unfilled.add(part.field);
    else if (!filled.some((f) => f.field === fill.field && f.value === fill.value)) filled.push(fill);
    return fill?.value ?? '';
  });
  if (unfilled.size) {
    const missing = [...unfilled].filter((f) => !refused.has(f));
    return { ok: false, missing, refused: [...unfilled].flatMap((f) => refused.get(f) ?? []), filled };
  }
  return { ok: true, body: pieces.join(''), filled };
}

// eslint-disable-next-line no-control-regex -- control characters are exactly what is looked for
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
/** A host or address in a value: "example.com", "www.x.co/path", "http://…". */
const LINK = /(?:https?:\/\/|www\.)\S+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?:[/:?#]\S*)?(?=$|[\s,;!)])/i;

/**
 * Whether a contact's value may go into a message whose fixed parts were judged without it.
 * Refused: line breaks and control characters (a field is one line of text; a break could
 * forge a second message or an opt-out line), any link (carriers judge a message's links
 * — CTIA Messaging Principles and Best Practices §5.3.2, Twilio's "Forbidden message
 * categories" on shared shorteners — so a link must be in the judged text, not arrive with a
 * contact's data), and content the compliance engine would hold (`heldBy`, given the value
 * alone: e.g. a value that is a loan offer or a cannabis product name). Opt-out instructions
 * too: whether the relay adds its opt-out line depends on the text already having one.
 */
export function refusedFieldValue(field: string, value: string, heldBy: (value: string) => string | null): RefusedValue | null {
  if (CONTROL.test(value)) return { field, reason: 'control_characters', detail: 'holds a line break or control character' };
  const link = LINK.exec(value);
  if (link) return { field, reason: 'link', detail: `holds a link ("${link[0]}"); put links in the template, where they are judged` };
  // Whether a message carries the opt-out line is decided on its text: a value must not make it.
  if (carriesOptOutLanguage(value)) return { field, reason: 'opt_out_language', detail: 'holds opt-out instructions; clearsend adds them where they are due' };
  const held = heldBy(value);
  if (held) return { field, reason: 'content', detail: held };
  return null;
}

/**
 * `refusedFieldValue` with the compliance engine as its judge (a value is held when the engine,
 * given the value alone, would hold a message: a `block` or `review` finding). Each distinct
 * value is judged once (first names repeat across an audience); up to `remember` of them.
 */
export function fieldValueJudge(ctx: JudgeContext, remember = 10_000): (field: string, value: string) => RefusedValue | null {
  const held = new Map<string, string | null>();
  const heldBy = (value: string) => {
    let answer = held.get(value);
    if (answer === undefined) {
      const finding = judgeMessage(value, ctx).findings.find((f) => f.verdict === 'block' || f.verdict === 'review');
      answer = finding ? `${finding.category}: ${finding.reason}` : null;
      if (held.size >= remember) held.clear();
      held.set(value, answer);
    }
    return answer;
  };
  return (field, value) => refusedFieldValue(field, value, heldBy);
}

/** One contact's message as Twilio would get it, or why there is none. */
export type TemplateMessage =
  | { sendable: true; body: string; bodyAsSent: string; optOutFooterAdded: boolean; segments: SegmentEstimate; filled: FilledField[] }
  | { sendable: false; why: string; missing: string[]; refused: RefusedValue[]; filled: FilledField[] };

/**
 * A contact's rendered template shaped as the relay sends it (brand prefix, opt-out line when
 * due), with its segments; not sendable when a field without fallback is missing or refused,
 * or when the shaped text is longer than Twilio takes.
 */
export function templateMessage(
  template: MessageTemplate,
  values: ContactFields,
  refuse: (field: string, value: string) => RefusedValue | null,
  shaping: { brandName: string; withOptOutFooter: boolean },
): TemplateMessage {
  const rendered = renderTemplate(template, values, refuse);
  if (!rendered.ok) {
    const why = [
      ...rendered.missing.map((f) => `no value for ${f}, and no fallback`),
      ...rendered.refused.map((r) => `${r.field} ${r.detail}, and no fallback`),
    ].join('; ');
    return { sendable: false, why, missing: rendered.missing, refused: rendered.refused, filled: rendered.filled };
  }
  const shaped = shapeOutgoingBody(rendered.body, shaping);
  if (shaped.body.length > MAX_BODY_LENGTH)
    return {
      sendable: false,
      why: `filled in and shaped, the message is ${shaped.body.length} characters; Twilio refuses more than ${MAX_BODY_LENGTH}`,
      missing: [],
      refused: [],
      filled: rendered.filled,
    };
  return {
    sendable: true,
    body: rendered.body,
    bodyAsSent: shaped.body,
    optOutFooterAdded: shaped.optOutFooterAdded,
    segments: estimateSegments(shaped.body),
    filled: rendered.filled,
  };
}
