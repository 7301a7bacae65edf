import type { CategoryId } from '../policy';

/**
 * Terms per policy category (src/domain/compliance/policy/ says where each category comes
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
 *
 * A category may have several rules: each group of weak words gets the context that makes *it*
 * suspect ("Mexicans" next to "vermin", not next to "tacos"; "recovery" near "balance"), since
 * one shared context list would let "wallet" count near "buy" or "recruit" near "bonus". A
 * context phrase must not be part of a weak phrase of its own rule (a weak hit would be its own
 * context). A `weak` term is also what the model may attribute the category to when nothing
 * listed is enough, so `weak` holds the terms that lean towards the category and everyday words
 * stay in `context`.
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
