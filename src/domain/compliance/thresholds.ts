/**
 * The gate's prior and its decision thresholds on log2 odds, chosen by cross-validation on the
 * train part only and the held rate on plain messages (`npm run scan:train -- --cv --grid`
 * prints the figures they were chosen from; README, Compliance judgement).
 */
export const THRESHOLDS = {
  /**
   * The gate's log2 prior odds that a message should be held: a deployment prior, not the train
   * corpus's (about two thirds held messages, where real traffic is nearly all legitimate). -4 is
   * one message in 17: with no evidence either way, the gate says legitimate.
   */
  gatePriorLogOdds: -4,
  /** The gate alone holds a message at or above these log2 odds (its category from the category model). */
  modelAlone: 2,
  /** With a weak term, the gate holds a message at or above these log2 odds. */
  weakTermWithModel: -5,
  /** Where the lexicon recognised an innocent use, the model alone needs this much more. */
  innocentUsePenalty: 8,
  /**
   * When listed terms settled a category and the category model's own first category is another
   * one, that one is named too at or above these log2 odds (a broker's offer of payday loans is
   * both third-party lending and payday lending). Chosen by `npm run scan:train -- --cv --also`:
   * 4 to 32 raised per-category recall alike, 32 named the fewest extra categories; above it the
   * gain fell away.
   */
  alsoModelCategory: 32,
};

export type Thresholds = typeof THRESHOLDS;
