/**
 * The sending limits an approved carrier registration gives a sender (issue 14 item 2).
 *
 * 10DLC: an approved campaign's `rate_limits` carry AT&T's per-campaign MPS and message class
 * and T-Mobile's brand tier (Twilio's UsAppToPerson resource). The relay does not know which
 * carrier a recipient is on, so a sender is paced at one carrier's rate (AT&T's `mps`, else the
 * class's rate from AT&T's table in messages per minute / 60) and capped, in segments per
 * Pacific day, at T-Mobile's daily limit for the brand tier (`daily_cap` when the answer has
 * it, as the sandbox's does). Sources, Twilio's help center: "Message throughput (MPS) and
 * Trust Scores for A2P 10DLC in the US", "T-Mobile daily message limits for long code
 * messaging with A2P 10DLC", and for sole proprietors (1 MPS, 1,000 segments a day to T-Mobile)
 * "What is a Sole Proprietor Brand for A2P 10DLC".
 *
 * Toll-free: a verified toll-free number sends 3 MPS by default and the toll-free daily limits
 * apply only to numbers not yet verified ("Toll-Free SMS and MMS messaging throughput (MPS)").
 */
export interface RegisteredThroughput {
  /** e.g. `TOP (AT&T A)`, `SOLE_PROPRIETOR`, `TOLL_FREE_VERIFIED`. */
  throughputClass: string;
  /** Segments per second the relay paces the sender to. */
  mps: number;
  /** Segments per Pacific day; null: no daily cap. */
  dailyCap: number | null;
}

/** AT&T's SMS throughput per campaign by message class (TPM / 60), floored to the 1 MPS clearsend can pace. */
export const ATT_CLASS_MPS: Readonly<Record<string, number>> = { A: 75, B: 75, C: 40, D: 40, E: 4, F: 4, G: 1, T: 1, S: 1 };

/** T-Mobile's daily limit per brand tier, in SMS segments and MMS a day. */
export const TMOBILE_DAILY_CAP: Readonly<Record<string, number>> = { TOP: 200_000, HIGH_MID: 40_000, LOW_MID: 10_000, LOW: 2_000 };

export const SOLE_PROPRIETOR_THROUGHPUT: RegisteredThroughput = { throughputClass: 'SOLE_PROPRIETOR', mps: 1, dailyCap: 1_000 };
export const TOLL_FREE_VERIFIED_THROUGHPUT: RegisteredThroughput = { throughputClass: 'TOLL_FREE_VERIFIED', mps: 3, dailyCap: null };
/** 10DLC approved without a readable class: the lowest tier's limits. */
const LOWEST_10DLC: RegisteredThroughput = { throughputClass: 'LOW', mps: 1, dailyCap: TMOBILE_DAILY_CAP.LOW };

const MAX_MPS = 10_000;
const record = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});
const positive = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v >= 1 ? Math.floor(v) : undefined);

/** The limits of a registration approved as `kind`, from its campaign's `rate_limits` (10DLC). */
export function registeredThroughput(input: {
  kind: '10dlc' | 'tollfree';
  brandType?: string | null;
  rateLimits?: Record<string, unknown>;
}): RegisteredThroughput {
  if (input.kind === 'tollfree') return TOLL_FREE_VERIFIED_THROUGHPUT;
  if (input.brandType === 'SOLE_PROPRIETOR') return SOLE_PROPRIETOR_THROUGHPUT;
  const att = record(input.rateLimits?.att);
  const tmobile = record(input.rateLimits?.tmobile);
  const msgClass = typeof att.msg_class === 'string' ? att.msg_class : undefined;
  const tier = typeof tmobile.brand_tier === 'string' ? tmobile.brand_tier : undefined;
  const mps = positive(att.mps) ?? (msgClass ? ATT_CLASS_MPS[msgClass] : undefined);
  const dailyCap = positive(tmobile.daily_cap) ?? (tier ? TMOBILE_DAILY_CAP[tier] : undefined);
  if (mps === undefined && dailyCap === undefined) return LOWEST_10DLC;
  return {
    throughputClass: `${tier ?? 'UNKNOWN'}${msgClass ? ` (AT&T ${msgClass})` : ''}`,
    mps: Math.min(mps ?? LOWEST_10DLC.mps, MAX_MPS),
    // A tier missing from T-Mobile's table has no known cap: none is applied (staff can set one).
    dailyCap: dailyCap ?? (tier ? null : LOWEST_10DLC.dailyCap),
  };
}
