import type { CategoryId } from '../policy';

/**
 * Terms per policy category (src/domain/compliance/policy.ts says where each category comes
 * from). Phrases use the phrase-matcher syntax: stems, `a|b` alternatives, `%` prefixes, `#`
 * for a number, `*` / `**` for a short / longer gap.
 *
 * - `strong`: enough on its own ("payday loan", "sports betting").
 * - `weak`: a word that is innocent on its own ("loan", "casino", "oxycodone"); it counts only
 *   with one of `context` within `window` words; otherwise it only lowers the bar the trained
 *   gate must reach to hold the message, and the category model names the category.
 * - `unless`: innocent phrases a hit may sit inside ("weed the beds", "alcohol-free", "hook up
 *   your router"); a hit covered by one does not count.
 * - `escalate`: with one of these the category is blocked on every route (an illegal sale).
 */
export interface LexiconRule {
  category: CategoryId;
  strong?: string[];
  weak?: string[];
  context?: string[];
  window?: number;
  unless?: string[];
  escalate?: string[];
}
