/** Every compliance category, in the order of categories.md; `POLICY` has one entry per id. */
export const CATEGORY_IDS = [
  'high_risk_financial.payday_loans',
  'high_risk_financial.third_party_loans',
  'high_risk_financial.crypto_and_investing',
  'get_rich_quick',
  'debt.third_party_collection',
  'debt.relief',
  'debt.credit_repair',
  'lead_generation',
  'gambling',
  'substances.cannabis_cbd_kratom',
  'substances.illegal_drugs',
  'substances.prescription_without_rx',
  'restricted_articles.fireworks',
  'sexual_content',
  'hate',
  'fraud.phishing_impersonation',
  'age_gated.alcohol',
  'age_gated.firearms',
  'age_gated.tobacco_vape',
] as const;
export type CategoryId = (typeof CATEGORY_IDS)[number];

/** The corpus also labels messages in none of the categories; that label has no policy entry. */
export const LEGIT_LABEL = 'legit' as const;
export const CORPUS_LABELS = [...CATEGORY_IDS, LEGIT_LABEL] as const;
