import { estimateSegments, type SegmentEstimate } from '../segments';
import { namesBrand } from '../message-shaping';
import { CONTENT_RULES, HELP_LANGUAGE, OPT_OUT_LANGUAGE, PUBLIC_SHORTENERS, type Severity } from './rules';

export type { Severity } from './rules';
export { CONTENT_RULES } from './rules';
/** Lives with the relay's message shaping (which prefixes the brand); kept here for existing callers. */
export { namesBrand } from '../message-shaping';

export interface ScanContext {
  /** The tenant's brand: every message must name its sender. */
  brandName: string;
  requireOptOutLanguage?: boolean;
  requireHelpLanguage?: boolean;
}

export interface ScanFinding {
  code: string;
  category: string;
  severity: Severity;
  reason: string;
  span: { start: number; end: number; text: string } | null;
  suggestedFix: string;
}

export interface ScanResult {
  findings: ScanFinding[];
  blocked: boolean;
  segments: SegmentEstimate;
}

export const MAX_BODY_LENGTH = 1600;

/** Blanks masked phrases with spaces (same length, so spans still point into the original). */
function masked(body: string, masks: RegExp[] = []): string {
  return masks.reduce((text, mask) => text.replace(mask, (m) => ' '.repeat(m.length)), body);
}

export function scanMessage(body: string, ctx: ScanContext): ScanResult {
  const findings: ScanFinding[] = [];
  for (const rule of CONTENT_RULES) {
    const text = masked(body, rule.masks);
    for (const pattern of rule.patterns) {
      const m = new RegExp(pattern.source, pattern.flags.replace('g', '')).exec(text);
      if (!m) continue;
      findings.push({ code: rule.code, category: rule.category, severity: rule.severity, reason: rule.reason, suggestedFix: rule.suggestedFix, span: { start: m.index, end: m.index + m[0].length, text: body.slice(m.index, m.index + m[0].length) } });
      break;
    }
  }

  const url = /\b(?:https?:\/\/)?((?:[a-z0-9-]+\.)+[a-z]{2,})(\/\S*)?/gi;
  for (const m of body.matchAll(url)) {
    const host = m[1].toLowerCase().replace(/^www\./, '');
    if (PUBLIC_SHORTENERS.includes(host)) {
      findings.push({
        code: 'url.public_shortener',
        category: 'public URL shortener',
        severity: 'block',
        reason: `${host} is a shared public link shortener; carriers filter messages that use them because spammers share them too.`,
        span: { start: m.index, end: m.index + m[0].length, text: m[0] },
        suggestedFix: 'Use the full link on your own domain, or a branded short domain you control.',
      });
      break;
    }
  }

  if (ctx.requireOptOutLanguage !== false && !OPT_OUT_LANGUAGE.some((p) => p.test(body))) {
    findings.push({
      code: 'missing.opt_out',
      category: 'missing opt-out language',
      severity: 'block',
      reason: 'The message does not tell recipients how to opt out; carriers require it.',
      span: null,
      suggestedFix: 'End the message with "Reply STOP to opt out."',
    });
  }
  if (ctx.requireHelpLanguage && !HELP_LANGUAGE.some((p) => p.test(body))) {
    findings.push({
      code: 'missing.help',
      category: 'missing HELP language',
      severity: 'warn',
      reason: 'The message does not tell recipients how to get help.',
      span: null,
      suggestedFix: 'Add "Reply HELP for help."',
    });
  }
  if (!namesBrand(body, ctx.brandName)) {
    findings.push({
      code: 'missing.sender_id',
      category: 'missing sender identification',
      severity: 'block',
      reason: `The message does not say who sends it (${ctx.brandName}); recipients must be able to tell.`,
      span: null,
      suggestedFix: `Start the message with your brand, e.g. "${ctx.brandName}: …".`,
    });
  }
  if (body.length > MAX_BODY_LENGTH) {
    findings.push({
      code: 'body.too_long',
      category: 'too long',
      severity: 'block',
      reason: `The message is ${body.length} characters; Twilio refuses bodies over ${MAX_BODY_LENGTH}.`,
      span: { start: MAX_BODY_LENGTH, end: body.length, text: body.slice(MAX_BODY_LENGTH) },
      suggestedFix: 'Shorten the message, or link to the details.',
    });
  }
  return { findings, blocked: findings.some((f) => f.severity === 'block'), segments: estimateSegments(body) };
}
