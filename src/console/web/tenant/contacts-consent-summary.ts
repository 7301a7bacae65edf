import { CONSENT_PURPOSES, latestFor, type ConsentPurpose } from '../../../domain/consent';
import { METHOD_LABELS } from './contacts-consent-fields';
import type { ConsentRecordView } from './contacts-types';

/** Where one purpose stands by its latest event: granted (how), withdrawn, or nothing recorded. */
export function purposeState(history: readonly ConsentRecordView[], purpose: ConsentPurpose): string {
  const events = history.map((r) => ({ status: r.status, purposes: r.purposes, method: r.method, occurredAt: new Date(r.occurredAt), seq: Number(r.id) }));
  const latest = latestFor(events, purpose);
  if (!latest) return 'none';
  if (latest.status === 'withdrawn') return 'withdrawn';
  return latest.method ? `granted (${METHOD_LABELS[latest.method].toLowerCase()})` : 'granted';
}

/** A contact's consent in one line for the list: each purpose that has an event ("marketing: withdrawn"). */
export function consentSummary(history: readonly ConsentRecordView[]): string {
  const states = CONSENT_PURPOSES.map((p) => [p, purposeState(history, p)] as const).filter(([, state]) => state !== 'none');
  return states.length ? states.map(([p, state]) => `${p}: ${state}`).join('; ') : 'none recorded';
}
