import type { CategoryId } from './category-ids';

/**
 * `block` = never sendable on that route; `review` = compliance staff decide before anything is
 * sent; `warn` = sendable, the tenant is told.
 */
export type Verdict = 'block' | 'review' | 'warn';
export type SenderType = '10dlc' | 'toll_free' | 'short_code';

export const VERDICTS = ['block', 'review', 'warn'] as const satisfies readonly Verdict[];
export const SENDER_TYPES = ['10dlc', 'toll_free', 'short_code'] as const satisfies readonly SenderType[];

export interface PolicySource {
  publisher: string;
  title: string;
  url: string;
  /** One-line paraphrase, in our words, of what the page says that matters here. */
  says: string;
}

/** A route's verdict with and without an age gate declared by the tenant. */
export interface GateVerdicts {
  ageGated: Verdict;
  notAgeGated: Verdict;
}

export interface PolicyCategory {
  id: CategoryId;
  label: string;
  family: 'forbidden' | 'age_gated';
  /** The sub-types the sources name. */
  covers: string[];
  sources: PolicySource[];
  /** The verdict per sender type, with and without an age gate declared by the tenant. */
  verdicts: Record<SenderType, GateVerdicts>;
  /** Shown to the tenant: why this is held. */
  reason: string;
  /** Shown to the tenant: what to do instead. */
  fix: string;
  /** Why a route differs or sources conflict; for compliance staff, not the tenant. */
  judgement?: string;
}
