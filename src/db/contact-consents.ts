import type { Db } from './knex';
import { consentVerdict, type ConsentEvent, type ConsentMethod, type ConsentPurpose } from '../domain/consent';

/** A grant or withdrawal to record; rows are only ever added (the table refuses updates), and the same event twice is one row. */
export interface NewConsent {
  tenantId: string;
  contactId: string;
  status: 'granted' | 'withdrawn';
  purposes: readonly ConsentPurpose[];
  method: ConsentMethod | null;
  source: string | null;
  wording: string | null;
  occurredAt: Date;
  recordedBy: string;
  evidence?: Record<string, string>;
}

/** One recorded row, as the API shows it. */
export interface ConsentRecord {
  id: string;
  contactId: string;
  status: 'granted' | 'withdrawn';
  purposes: ConsentPurpose[];
  method: ConsentMethod | null;
  source: string | null;
  wording: string | null;
  occurredAt: Date;
  recordedAt: Date;
  recordedBy: string;
  evidence: Record<string, string> | null;
}

type ConsentRow = {
  id: string;
  contact_id: string;
  status: 'granted' | 'withdrawn';
  purposes: ConsentPurpose[];
  method: ConsentMethod | null;
  source: string | null;
  wording: string | null;
  occurred_at: Date;
  recorded_at: Date;
  recorded_by: string;
  evidence: Record<string, string> | null;
};

export async function recordConsents(db: Db, consents: readonly NewConsent[]): Promise<void> {
  for (let i = 0; i < consents.length; i += 2000) {
    await db('contact_consents')
      .insert(
        consents.slice(i, i + 2000).map((c) => ({
          tenant_id: c.tenantId,
          contact_id: c.contactId,
          status: c.status,
          purposes: c.purposes,
          method: c.method,
          source: c.source,
          wording: c.wording,
          occurred_at: c.occurredAt,
          recorded_by: c.recordedBy,
          evidence: c.evidence ? JSON.stringify(c.evidence) : null,
        })),
      )
      // An event already recorded (the same upload again) stays one row.
      .onConflict()
      .ignore();
  }
}

/** The tenant's consent rows for these contacts, oldest first (another tenant's contacts have none here). */
export async function consentRecordsOf(db: Db, tenantId: string, contactIds: readonly string[]): Promise<ConsentRecord[]> {
  if (!contactIds.length) return [];
  const rows = await db('contact_consents')
    .where({ tenant_id: tenantId })
    .whereIn('contact_id', contactIds)
    .orderBy('id')
    .select<ConsentRow[]>('id', 'contact_id', 'status', 'purposes', 'method', 'source', 'wording', 'occurred_at', 'recorded_at', 'recorded_by', 'evidence');
  return rows.map((r) => ({
    id: String(r.id),
    contactId: r.contact_id,
    status: r.status,
    purposes: r.purposes,
    method: r.method,
    source: r.source,
    wording: r.wording,
    occurredAt: r.occurred_at,
    recordedAt: r.recorded_at,
    recordedBy: r.recorded_by,
    evidence: r.evidence,
  }));
}

/** Records grouped by contact. */
export function byContact(records: readonly ConsentRecord[]): Map<string, ConsentRecord[]> {
  const map = new Map<string, ConsentRecord[]>();
  for (const r of records) map.set(r.contactId, [...(map.get(r.contactId) ?? []), r]);
  return map;
}

export const asEvents = (records: readonly ConsentRecord[]): ConsentEvent[] =>
  records.map((r) => ({ status: r.status, purposes: r.purposes, method: r.method, occurredAt: r.occurredAt, seq: Number(r.id) }));

/** The contacts among `contactIds` whose consent does not allow a `messageType` campaign, with why. */
export async function contactsWithoutConsent(
  db: Db,
  q: { tenantId: string; messageType: ConsentPurpose; contactIds: readonly string[] },
): Promise<Map<string, string>> {
  const histories = byContact(await consentRecordsOf(db, q.tenantId, q.contactIds));
  const refused = new Map<string, string>();
  for (const id of q.contactIds) {
    const verdict = consentVerdict(q.messageType, asEvents(histories.get(id) ?? []));
    if (!verdict.allowed) refused.set(id, verdict.detail);
  }
  return refused;
}
