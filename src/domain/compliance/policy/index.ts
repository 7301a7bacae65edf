/**
 * The published rules behind clearsend's compliance categories, as data: for every category,
 * which sources say what (with the address the page was actually read at), and the verdict per
 * sender route with and without an age gate declared by the tenant.
 *
 * Verdicts: `block` = never sendable on that route; `review` = compliance staff decide before
 * anything is sent; `warn` = sendable, the tenant is told.
 *
 * How the verdicts were chosen (the docs/compliance-policy.md table is the readable form):
 * - Forbidden categories block on every route unless a source names an exception for a route.
 *   None was found: Twilio's short-code page lists high-risk finance, debt relief, gambling,
 *   lead generation and cannabis as unsupported on short codes too, so no short-code carve-out.
 * - Age-gated categories: with a declared age gate `warn` where the route allows the content,
 *   `review` without one (the gate may exist but be undeclared), and `block` where the sources
 *   forbid the content on that route regardless of any gate.
 * - Where sources disagree, the newer Twilio text wins over older copies, and when a route is
 *   contested the conservative verdict is taken; `judgement` on the entry says why.
 * - Several sources are third-party copies of Twilio's or a carrier's text (the publisher field
 *   names who published the page we read); they are marked as such in `says`.
 *
 * Pure data and one lookup; no I/O.
 *
 * Layout: `category-ids.ts` (the categories), `types.ts`, `sources.ts` (every page cited, `DOC`,
 * and `cite`), `category-entry.ts` (how a forbidden or age-gated entry is built), one file of
 * entries per family (`financial.ts`, `gambling.ts`, `substances.ts`, `conduct.ts`,
 * `age-gated.ts`) and `message-rules.ts` (links, opt-out, sender identification).
 */
import { CATEGORY_IDS, type CategoryId } from './category-ids';
import { AGE_GATED_POLICY } from './age-gated';
import { CONDUCT_POLICY } from './conduct';
import { FINANCIAL_POLICY } from './financial';
import { GAMBLING_POLICY } from './gambling';
import { SUBSTANCES_POLICY } from './substances';
import { SENDER_TYPES, type PolicyCategory, type SenderType, type Verdict } from './types';

export { CATEGORY_IDS, CORPUS_LABELS, LEGIT_LABEL, type CategoryId } from './category-ids';
export { LINK_POLICY, MESSAGE_RULES } from './message-rules';
export { SENDER_TYPES, VERDICTS, type GateVerdicts, type PolicyCategory, type PolicySource, type SenderType, type Verdict } from './types';

/** One entry per category (a missing or unknown id does not compile), spread in the order of `CATEGORY_IDS`. */
export const POLICY: Record<CategoryId, PolicyCategory> = {
  ...FINANCIAL_POLICY,
  ...GAMBLING_POLICY,
  ...SUBSTANCES_POLICY,
  ...CONDUCT_POLICY,
  ...AGE_GATED_POLICY,
};

function isCategoryId(value: string): value is CategoryId {
  return (CATEGORY_IDS as readonly string[]).includes(value);
}

function isSenderType(value: string): value is SenderType {
  return (SENDER_TYPES as readonly string[]).includes(value);
}

/**
 * The verdict for a category on a route. Callers pass values read from storage or requests, so
 * an unknown category or sender type is refused loudly rather than answered with a guess.
 */
export function verdictFor(category: CategoryId, ctx: { senderType: SenderType; ageGated: boolean }): Verdict {
  if (!isCategoryId(category)) throw new Error(`unknown compliance category: ${String(category)}`);
  if (!isSenderType(ctx.senderType)) throw new Error(`unknown sender type: ${String(ctx.senderType)}`);
  const route = POLICY[category].verdicts[ctx.senderType];
  return ctx.ageGated ? route.ageGated : route.notAgeGated;
}
