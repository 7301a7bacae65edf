import type { Verdict } from './policy';

/**
 * Whether a campaign's content may be sent, from its stored judgement and the staff review:
 * any `block` finding never; a `review` finding only once a person approved it. The start
 * route answers with this, and the workflow's gate checks it again before anything is sent.
 */
export interface StoredJudgement {
  blocked: boolean;
  /** Campaigns judged before verdicts existed stored `severity` ('block' | 'warn') instead. */
  findings: Array<{ verdict?: Verdict; severity?: string; reason: string }>;
}

export type ContentReviewState = 'pending' | 'approved' | 'rejected' | null;

export type Clearance = { cleared: true } | { cleared: false; why: 'blocked' | 'awaiting_review' | 'rejected'; reason: string };

export function contentClearance(scan: StoredJudgement, review: { state: ContentReviewState; reason: string | null }): Clearance {
  const verdictOf = (f: StoredJudgement['findings'][number]) => f.verdict ?? f.severity;
  const blocking = scan.findings.filter((f) => verdictOf(f) === 'block').map((f) => f.reason);
  if (blocking.length) return { cleared: false, why: 'blocked', reason: `This message cannot be sent: ${blocking.join('; ')}` };
  const inReview = scan.findings.filter((f) => verdictOf(f) === 'review').map((f) => f.reason);
  if (!inReview.length || review.state === 'approved') return { cleared: true };
  if (review.state === 'rejected')
    return { cleared: false, why: 'rejected', reason: `Compliance staff rejected the message content: ${review.reason ?? 'no reason given'}` };
  return { cleared: false, why: 'awaiting_review', reason: `The message content waits for compliance review before it can be sent: ${inReview.join('; ')}` };
}
