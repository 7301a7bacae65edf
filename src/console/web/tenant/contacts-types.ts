import type { ConsentMethod, ConsentPurpose } from '../../../domain/consent';

/** One consent event as the API lists it (a grant or a withdrawal; each is a new row of the history). */
export interface ConsentRecordView {
  id: string;
  status: 'granted' | 'withdrawn';
  purposes: ConsentPurpose[];
  method: ConsentMethod | null;
  source: string | null;
  wording: string | null;
  occurredAt: string;
  recordedAt: string;
  recordedBy: string;
}

/** Where each purpose stands, as the API computes it from the history. */
export type ConsentStanding = Record<ConsentPurpose, { granted: boolean; method: ConsentMethod | null; since: string | null }>;

/** A contact as GET /v1/contacts and GET /v1/contacts/:id answer it. */
export interface ContactView {
  id: string;
  phone: string;
  name: string | null;
  assignedUser: string;
  tags: string[];
  fields: Record<string, string> | null;
  createdAt: string;
  consent: { standing: ConsentStanding; history: ConsentRecordView[] };
}

export interface ContactsPage {
  contacts: ContactView[];
  next: string | null;
}

/** POST /v1/contacts's answer. */
export interface ContactsStored {
  received: number;
  created: number;
  updated: number;
  erasedNote?: string;
}
