import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MessageStore } from './message-store';
import { SpillLog } from './spill-log';
import { RegistrationState, type RegistrationSnapshot } from './registration-state';

/**
 * Everything the sandbox knows. Accounts, numbers, Verify and Messaging services, carrier
 * registrations (Trust Hub, A2P, toll-free) and opt-out blocks are the durable part (saved to the state file when one is set, so credentials clearsend stored
 * in PostgreSQL keep working across restarts); messages, verifications and the ledger live
 * only as long as the process. Messages, the ledger and Lookups grow with every send, so all
 * but the recent ones live in unlinked files (message-store.ts, spill-log.ts), not on the heap.
 */
export interface SandboxAccount {
  sid: string;
  authToken: string;
  friendlyName: string;
  status: 'active' | 'suspended' | 'closed';
  /** The account that owns this one (itself for a top-level account). */
  ownerAccountSid: string;
  /** Twilio test credentials: magic numbers apply, nothing reaches a carrier. */
  isTest: boolean;
  dateCreated: string;
  dateUpdated: string;
}

export interface SandboxNumber {
  sid: string;
  accountSid: string;
  phoneNumber: string;
  friendlyName: string;
  smsUrl: string;
  smsMethod: string;
  statusCallback: string;
  dateCreated: string;
  dateUpdated: string;
}

export type MessageStatus = 'accepted' | 'queued' | 'sending' | 'sent' | 'delivered' | 'undelivered' | 'failed' | 'canceled' | 'received';

export interface SandboxMessage {
  sid: string;
  accountSid: string;
  from: string;
  to: string;
  body: string;
  /** `outbound-reply`: a TwiML <Message> answering an inbound message's webhook. */
  direction: 'outbound-api' | 'outbound-reply' | 'inbound';
  status: MessageStatus;
  numSegments: number;
  errorCode: number | null;
  errorMessage: string | null;
  statusCallback?: string;
  messagingServiceSid?: string;
  validityPeriodS: number;
  dateCreated: Date;
  dateUpdated: Date;
  dateSent: Date | null;
}

export interface VerifyService {
  sid: string;
  accountSid: string;
  friendlyName: string;
  codeLength: number;
  dateCreated: string;
  dateUpdated: string;
}

export interface Verification {
  sid: string;
  serviceSid: string;
  accountSid: string;
  to: string;
  channel: string;
  status: 'pending' | 'approved' | 'canceled' | 'max_attempts_reached' | 'expired';
  code: string;
  checks: number;
  sendTimes: number[];
  dateCreated: Date;
  dateUpdated: Date;
  expiresAt: number;
}

export interface MessagingService {
  sid: string;
  accountSid: string;
  friendlyName: string;
  /** The sender pool, in the order numbers were added; a send without From uses the first. */
  numberSids: string[];
  /** Settings given on create or update, under their JSON names (inbound_request_url, status_callback, usecase, …). */
  settings?: Record<string, string | number | boolean | null>;
  dateCreated: string;
  dateUpdated: string;
}

/** One accepted outbound message as it reached "Twilio": what tests count. */
export interface LedgerEntry {
  sid: string;
  accountSid: string;
  from: string;
  to: string;
  body: string;
  /** The Messaging Service the message was sent through, if any. */
  messagingServiceSid?: string;
  /** Every parameter of the request, as sent. */
  params: Record<string, string>;
  acceptedAt: string;
}

/** One Lookup request as received: what tests count. */
export interface LookupEntry {
  phoneNumber: string;
  accountSid: string;
  at: string;
}

/** How much of each growing collection stays on the JS heap; tests shrink them to see spilling. */
export interface SpillLimits {
  hotMessages?: number;
  ledgerTail?: number;
  lookupTail?: number;
}

interface DurableState {
  accounts: SandboxAccount[];
  numbers: SandboxNumber[];
  verifyServices: VerifyService[];
  messagingServices?: MessagingService[];
  registrations?: RegistrationSnapshot;
  optOuts: string[];
}

export class SandboxStore {
  readonly accounts = new Map<string, SandboxAccount>();
  readonly numbers = new Map<string, SandboxNumber>();
  readonly messages: MessageStore;
  readonly verifyServices = new Map<string, VerifyService>();
  readonly messagingServices = new Map<string, MessagingService>();
  readonly verifications = new Map<string, Verification>();
  readonly registrations = new RegistrationState();
  /** `${sender}|${recipient}`: the recipient texted STOP to that sender. */
  readonly optOuts = new Set<string>();
  readonly ledger: SpillLog<LedgerEntry>;
  readonly lookups: SpillLog<LookupEntry>;
  /** Every redaction request (Messages update with an empty Body), a repeat included: what tests count. */
  readonly redactions: Array<{ sid: string; accountSid: string; at: string }> = [];
  /** Redactions of a message to refuse before one is done (POST /__sandbox/redaction-refusals): what is left of each. */
  readonly redactionRefusals = new Map<string, { remaining: number; status: number; code: number; message: string }>();
  readonly callbackFailures: Array<{ url: string; params: Record<string, string>; attempts: number; lastError: string; at: string }> = [];
  private saveTimer?: NodeJS.Timeout;

  constructor(
    private readonly stateFile?: string,
    limits: SpillLimits = {},
  ) {
    // The files are unlinked as soon as they are open: the directory is only where they are born.
    const spillDir = mkdtempSync(path.join(tmpdir(), 'clearsend-sandbox-'));
    this.messages = new MessageStore(path.join(spillDir, 'messages'), limits.hotMessages);
    this.ledger = new SpillLog(path.join(spillDir, 'ledger'), limits.ledgerTail);
    this.lookups = new SpillLog(path.join(spillDir, 'lookups'), limits.lookupTail);
    rmSync(spillDir, { recursive: true, force: true });
    if (stateFile && existsSync(stateFile)) {
      const state = JSON.parse(readFileSync(stateFile, 'utf8')) as DurableState;
      for (const a of state.accounts) this.accounts.set(a.sid, a);
      for (const n of state.numbers) this.numbers.set(n.sid, n);
      for (const s of state.verifyServices) this.verifyServices.set(s.sid, s);
      for (const s of state.messagingServices ?? []) this.messagingServices.set(s.sid, s);
      this.registrations.restore(state.registrations);
      for (const o of state.optOuts) this.optOuts.add(o);
    }
  }

  /** Saves the durable part soon (coalescing bursts), atomically through a rename. */
  changed(): void {
    if (!this.stateFile || this.saveTimer) return;
    this.saveTimer = setTimeout(() => this.flush(), 50);
  }

  flush(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    if (!this.stateFile) return;
    const state: DurableState = {
      accounts: [...this.accounts.values()],
      numbers: [...this.numbers.values()],
      verifyServices: [...this.verifyServices.values()],
      messagingServices: [...this.messagingServices.values()],
      registrations: this.registrations.snapshot(),
      optOuts: [...this.optOuts],
    };
    writeFileSync(`${this.stateFile}.tmp`, JSON.stringify(state));
    renameSync(`${this.stateFile}.tmp`, this.stateFile);
  }

  /** Frees the spill files (held messages and the in-memory tails stay readable). */
  close(): void {
    this.messages.close();
    this.ledger.close();
    this.lookups.close();
  }

  numberByPhone(phoneNumber: string): SandboxNumber | undefined {
    for (const n of this.numbers.values()) if (n.phoneNumber === phoneNumber) return n;
    return undefined;
  }
}
