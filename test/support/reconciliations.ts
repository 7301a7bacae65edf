import type { Db } from '../../src/db/knex';

/** A ledger entry as `/__sandbox/ledger` lists it. */
export interface LedgerRow {
  sid: string;
  to: string;
  acceptedAt: string;
}

export interface ReconciliationTally {
  found: number;
  notFound: number;
  /** Each answer the relay recorded that the ledger (what "Twilio" accepted, and when) contradicts. */
  disagreements: string[];
}

/**
 * The relay's answers from Twilio (`outbox_reconciliations`) held against the sandbox's
 * ledger: `found` names a message Twilio accepted for that row's recipient before the relay
 * asked; `not_found` means Twilio had none for the recipient then, so the recipient's only
 * message was accepted after the relay asked.
 */
export async function tallyReconciliations(db: Db, campaignId: string, ledger: LedgerRow[]): Promise<ReconciliationTally> {
  const answers = await db('outbox_reconciliations as r')
    .join('outbox as o', 'o.id', 'r.outbox_id')
    .where('r.campaign_id', campaignId)
    .orderBy('r.id')
    .select<Array<{ outcome: 'found' | 'not_found'; message_sid: string | null; checked_at: Date; to_e164: string; row_sid: string | null }>>(
      'r.outcome',
      'r.message_sid',
      'r.checked_at',
      'o.to_e164',
      'o.message_sid as row_sid',
    );
  const bySid = new Map(ledger.map((e) => [e.sid, e]));
  const byRecipient = new Map<string, LedgerRow[]>();
  for (const e of ledger) byRecipient.set(e.to, [...(byRecipient.get(e.to) ?? []), e]);
  const disagreements: string[] = [];
  for (const a of answers) {
    const asked = a.checked_at.getTime();
    if (a.outcome === 'found') {
      const entry = a.message_sid ? bySid.get(a.message_sid) : undefined;
      if (!entry || entry.to !== a.to_e164) disagreements.push(`found ${a.message_sid} for ${a.to_e164}: not in the ledger for that recipient`);
      else if (Date.parse(entry.acceptedAt) > asked) disagreements.push(`found ${a.message_sid} for ${a.to_e164} before Twilio accepted it`);
      if (a.row_sid !== a.message_sid) disagreements.push(`found ${a.message_sid} for ${a.to_e164}, but the row records ${a.row_sid}`);
    } else {
      const earlier = (byRecipient.get(a.to_e164) ?? []).filter((e) => Date.parse(e.acceptedAt) < asked);
      if (earlier.length) disagreements.push(`not found for ${a.to_e164}, but Twilio had ${earlier.map((e) => e.sid).join(', ')} already`);
    }
  }
  return { found: answers.filter((a) => a.outcome === 'found').length, notFound: answers.filter((a) => a.outcome === 'not_found').length, disagreements };
}

/** How many ledger entries each recipient has. */
export function perRecipient(ledger: Array<{ to: string }>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of ledger) counts.set(e.to, (counts.get(e.to) ?? 0) + 1);
  return counts;
}
