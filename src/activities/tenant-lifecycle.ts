import { ApplicationFailure } from '@temporalio/common';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { ActivityDeps } from './deps';
import { recordAudit } from '../db/audit';
import { onboardingLimits } from '../db/onboarding-limits';
import { giveBackAll, takeAll } from '../db/rate-limits';
import { closeStaffCase, recordInfrastructureFault, type InfrastructureFault } from '../db/staff-cases';
import { useStaffDecision, type StaffDecisionCheck, type StaffDecisionName } from '../db/staff-decisions';
import { credentialsOfTenant, tenantSubaccount } from '../db/tenant-credentials';
import { assessKycRisk, type KycAssessment, type KycSubmission } from '../domain/kyc-risk';
import { judgeMessage } from '../domain/compliance/judge';
import { subaccountFriendlyName } from '../domain/tenant-naming';
import { sealSecret } from '../twilio/credential-sealing';
import { callTwilio, isTransientTwilioError, rethrowTwilioError, twilioErrorOf, twilioFailureType } from '../twilio/errors';
import { NO_NUMBERS_AVAILABLE, type LifecycleStepName, type SandboxSendResult, type VerificationCheckStatus } from '../workflows/tenant-lifecycle/definitions';

interface TenantRow {
  id: string;
  slug: string;
  business_name: string;
  owner_phone: string;
  area_code_preference: string | null;
}

/** A code went out, or none did because the day's cap for the tenant or its number is reached. */
export type VerificationCapReached = { capReached: 'tenant' | 'phone'; retryAfterMs: number };
export type VerificationStart = { sentTo: string } | VerificationCapReached;

/**
 * Twilio's answers when buying a number that mean "no number for that": none left in the area
 * code (21452), the number picked is invalid (21421) or was taken meanwhile (21422).
 */
const NO_NUMBER_CODES: ReadonlySet<number> = new Set([21452, 21421, 21422]);

/** The number step's refusal the workflow acts on (the tenant picks another area code). */
export const noNumbersAvailable = (areaCode: string | undefined, twilioCode?: number) =>
  ApplicationFailure.nonRetryable(`No SMS-capable numbers are available in area code ${areaCode ?? '(any)'}`, NO_NUMBERS_AVAILABLE, { areaCode, ...(twilioCode ? { twilioCode } : {}) });

/** A Twilio call of the number search or purchase: its "no number for that" answers become `NoNumbersAvailable`. */
export async function callTwilioForNumber<T>(doing: string, areaCode: string | undefined, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    const code = twilioErrorOf(err)?.code;
    if (code !== undefined && NO_NUMBER_CODES.has(code)) throw noNumbersAvailable(areaCode, code);
    rethrowTwilioError(err, doing);
  }
}

/** Per platform account: a Verify service belongs to the account that made it. */
const verifyServiceSetting = (accountSid: string) => `verify_service_sid:${accountSid}`;
const VERIFY_SERVICE_NAME = 'clearsend';

/** Onboarding's side effects. Each one can run twice (retry, replay) and leave one result. */
export function createTenantLifecycleActivities({ db, twilio, log, config }: ActivityDeps) {
  const limits = onboardingLimits(db, config);
  async function tenant(tenantId: string): Promise<TenantRow> {
    const row = await db<TenantRow>('tenants').where({ id: tenantId }).first();
    if (!row) throw ApplicationFailure.nonRetryable(`tenant ${tenantId} does not exist`, 'TenantNotFound');
    return row;
  }

  async function verifyServiceSid(): Promise<string> {
    const key = verifyServiceSetting(config.TWILIO_ACCOUNT_SID);
    const stored = await db('platform_settings').where({ key }).first<{ value: string } | undefined>();
    if (stored) return stored.value;
    const verify = twilio.platform().verify.v2.services;
    const existing = (await callTwilio('list Verify services', () => verify.list({ limit: 50 }))).find((s) => s.friendlyName === VERIFY_SERVICE_NAME);
    const service = existing ?? (await callTwilio('create Verify service', () => verify.create({ friendlyName: VERIFY_SERVICE_NAME, codeLength: 6 })));
    // Two workers racing here both read back the one that won.
    await db('platform_settings').insert({ key, value: service.sid }).onConflict('key').ignore();
    return ((await db('platform_settings').where({ key }).first<{ value: string }>()) ?? { value: service.sid }).value;
  }

  /** False only when Twilio answers that the service itself does not exist. */
  async function verifyServiceExists(serviceSid: string): Promise<boolean> {
    try {
      await twilio.platform().verify.v2.services(serviceSid).fetch();
      return true;
    } catch (err) {
      if (twilioErrorOf(err)?.code === 20404) return false;
      throw err;
    }
  }

  /**
   * Runs a Verify call on the remembered service. Twilio answers 20404 both for a pending
   * verification that is gone and for a service that is gone (deleted in Twilio's console, or a
   * sandbox that started from nothing while the database remembers the old SID). For the
   * second, the SID is forgotten, a service found or made again and remembered, and the call
   * runs once more on it; the first is the caller's answer to give.
   */
  async function onVerifyService<T>(call: (serviceSid: string) => Promise<T>): Promise<T> {
    const serviceSid = await verifyServiceSid();
    try {
      return await call(serviceSid);
    } catch (err) {
      if (twilioErrorOf(err)?.code !== 20404 || (await verifyServiceExists(serviceSid))) throw err;
      // Only this SID: another worker may already have remembered a new one.
      await db('platform_settings').where({ key: verifyServiceSetting(config.TWILIO_ACCOUNT_SID), value: serviceSid }).delete();
      const replacement = await verifyServiceSid();
      log.warn({ staleServiceSid: serviceSid, serviceSid: replacement }, 'the remembered Verify service is unknown to Twilio; using a new one');
      await recordAudit(db, { actor: 'system:lifecycle', actorKind: 'system', action: 'platform.verify_service_replaced', details: { staleServiceSid: serviceSid, serviceSid: replacement } });
      return call(replacement);
    }
  }

  return {
    async assessKyc(tenantId: string): Promise<KycAssessment & { submissionId: string }> {
      const row = await db('kyc_submissions').where({ tenant_id: tenantId }).orderBy('id', 'desc').first<{ id: string; submission: KycSubmission } | undefined>();
      if (!row) throw ApplicationFailure.nonRetryable(`tenant ${tenantId} has no KYC submission`, 'KycSubmissionMissing');
      const submission = row.submission;
      const assessment = assessKycRisk(submission, { approvedCountries: config.APPROVED_COUNTRIES }, (body) => judgeMessage(body, { ageGated: submission.ageGate ?? false }));
      await db.transaction(async (trx) => {
        await trx('kyc_submissions')
          .where({ id: row.id })
          .update({ risk_score: assessment.score, risk_level: assessment.level, risk_reasons: JSON.stringify(assessment.reasons), assessed_at: trx.fn.now() });
        await recordAudit(trx, { actor: 'system:kyc', actorKind: 'system', tenantId, action: 'kyc.assessed', details: { submissionId: row.id, score: assessment.score, level: assessment.level } });
      });
      return { ...assessment, submissionId: String(row.id) };
    },

    /** Mirrors the workflow's step into PostgreSQL (compliance queue, listings) and the audit log. */
    async recordLifecycleStep(input: { tenantId: string; step: LifecycleStepName; note?: string }): Promise<void> {
      const status = input.step === 'active' ? 'active' : input.step === 'rejected' ? 'rejected' : 'onboarding';
      await db.transaction(async (trx) => {
        const updated = await trx('tenants').where({ id: input.tenantId }).update({ lifecycle_step: input.step, status, updated_at: trx.fn.now() });
        // Sign-up starts the workflow before it commits the tenant: until then, try again.
        if (!updated) throw ApplicationFailure.retryable(`tenant ${input.tenantId} is not visible (yet)`, 'TenantNotVisible');
        await recordAudit(trx, { actor: 'system:lifecycle', actorKind: 'system', tenantId: input.tenantId, action: `lifecycle.${input.step}`, reason: input.note ?? null });
      });
    },

    async startVerification(tenantId: string): Promise<VerificationStart> {
      const { owner_phone } = await tenant(tenantId);
      const counted = [[limits.verifyPerTenant, tenantId], [limits.verifyPerPhone, owner_phone]] as const;
      const cap = await takeAll(counted);
      if (!cap.allowed) return { capReached: cap.refusedBy === limits.verifyPerTenant ? 'tenant' : 'phone', retryAfterMs: cap.retryAfterMs };
      try {
        await callTwilio('start verification', () => onVerifyService((serviceSid) => twilio.platform().verify.v2.services(serviceSid).verifications.create({ to: owner_phone, channel: 'sms' })));
      } catch (err) {
        // A code that did not go out is not counted: a retry counts its own.
        await giveBackAll(counted);
        throw err;
      }
      // Only the last digits go back into workflow history and the tenant's view.
      return { sentTo: `…${owner_phone.slice(-4)}` };
    },

    async checkVerificationCode(input: { tenantId: string; code: string }): Promise<VerificationCheckStatus> {
      const { owner_phone } = await tenant(input.tenantId);
      try {
        const check = await onVerifyService((serviceSid) => twilio.platform().verify.v2.services(serviceSid).verificationChecks.create({ to: owner_phone, code: input.code }));
        return check.status === 'approved' ? 'approved' : 'wrong_code';
      } catch (err) {
        if (isTransientTwilioError(err)) throw err;
        const code = twilioErrorOf(err)?.code;
        // 20404: no pending verification (expired or already used); 60202: too many checks.
        if (code === 20404) return 'expired';
        if (code === 60202) return 'max_attempts_reached';
        throw ApplicationFailure.nonRetryable(`verification check failed: ${String(err)}`, twilioFailureType(code));
      }
    },

    /** A magic-number test send with Twilio test credentials; Twilio's business answer is a result, not a failure. */
    async sendSandboxTestMessage(input: { tenantId: string; from: string; to: string; body: string }): Promise<SandboxSendResult> {
      const { from, to } = input;
      let result: SandboxSendResult;
      try {
        const message = await twilio.testCredentials().messages.create({ from, to, body: input.body });
        result = { ok: true, sid: message.sid, status: message.status, from, to };
      } catch (err) {
        if (isTransientTwilioError(err)) throw err;
        const twilioError = twilioErrorOf(err)!;
        result = { ok: false, errorCode: twilioError.code ?? twilioError.status ?? 0, errorMessage: twilioError.message ?? 'rejected by Twilio', from, to };
      }
      await db('sandbox_test_sends').insert({
        tenant_id: input.tenantId,
        from_number: from,
        to_number: to,
        message_sid: result.ok ? result.sid : null,
        status: result.ok ? result.status : 'failed',
        error_code: result.ok ? null : result.errorCode,
        error_message: result.ok ? null : result.errorMessage,
      });
      return result;
    },

    /** Opens the case for `key` once; a retry returns the same case. */
    async openComplianceCase(input: { tenantId: string; kind: string; key: string; summary: string; details: Record<string, unknown> }): Promise<string> {
      return db.transaction(async (trx) => {
        const inserted = await trx('compliance_cases')
          .insert({ tenant_id: input.tenantId, kind: input.kind, summary: input.summary, details: JSON.stringify(input.details), opened_by_key: input.key })
          .onConflict('opened_by_key')
          .ignore()
          .returning<{ id: string }[]>('id');
        if (inserted.length) {
          await recordAudit(trx, { actor: 'system:lifecycle', actorKind: 'system', tenantId: input.tenantId, action: 'case.opened', reason: input.summary, details: { caseId: inserted[0].id, kind: input.kind } });
          return inserted[0].id;
        }
        const existing = await trx('compliance_cases').where({ opened_by_key: input.key }).first<{ id: string } | undefined>('id');
        return existing!.id;
      });
    },

    async recordReviewReminder(caseId: string): Promise<number> {
      return db.transaction(async (trx) => {
        const [row] = await trx('compliance_cases')
          .where({ id: caseId, status: 'open' })
          .increment('reminders_sent', 1)
          .update({ last_reminder_at: trx.fn.now() })
          .returning<{ tenant_id: string; reminders_sent: number }[]>(['tenant_id', 'reminders_sent']);
        if (!row) return 0;
        await recordAudit(trx, { actor: 'system:lifecycle', actorKind: 'system', tenantId: row.tenant_id, action: 'case.reminder', details: { caseId, remindersSent: row.reminders_sent } });
        return row.reminders_sent;
      });
    },

    async decideComplianceCase(input: { caseId: string; decision: 'approved' | 'rejected'; by: string; reason: string }): Promise<void> {
      await db.transaction(async (trx) => {
        const updated = await trx('compliance_cases')
          .where({ id: input.caseId, status: 'open' })
          .update({ status: input.decision, decided_at: trx.fn.now(), decided_by: input.by, decision_reason: input.reason })
          .returning<{ tenant_id: string }[]>('tenant_id');
        if (updated.length) {
          await recordAudit(trx, { actor: input.by, actorKind: 'staff', tenantId: updated[0].tenant_id, action: `case.${input.decision}`, reason: input.reason, details: { caseId: input.caseId } });
        }
      });
    },

    /**
     * Checks a staff decision's audit entry (see src/db/staff-decisions.ts) and records a
     * refusal: a decision that did not come through the API is not acted on.
     */
    async confirmStaffDecision(input: { tenantId: string; decision: StaffDecisionName; auditId?: string; claimedBy: string; usedBy: string }): Promise<StaffDecisionCheck> {
      const check = await useStaffDecision(db, input);
      if (!check.accepted) {
        log.warn({ tenantId: input.tenantId, decision: input.decision, auditId: input.auditId, claimedBy: input.claimedBy, why: check.why }, 'staff decision refused');
        await recordAudit(db, {
          actor: 'system:lifecycle',
          actorKind: 'system',
          tenantId: input.tenantId,
          action: 'staff_decision.refused',
          reason: check.why,
          details: { decision: input.decision, auditId: input.auditId ?? null, claimedBy: input.claimedBy },
        });
      }
      return check;
    },

    /** Opens (or counts one more failure on) the staff case for an onboarding step held by infrastructure. */
    async recordInfrastructureFault(fault: InfrastructureFault): Promise<string> {
      log.error({ tenantId: fault.tenantId, activity: fault.activity, error: fault.error }, 'onboarding step held by an infrastructure failure; staff case open');
      return recordInfrastructureFault(db, fault);
    },

    async closeStaffCase(input: { caseId: string; resolution: string }): Promise<void> {
      await closeStaffCase(db, input);
    },

    /** Records a staff action the workflow acted on (reject or suspend at any step, reinstate). */
    async recordStaffAction(input: { tenantId: string; action: string; by: string; reason: string; step: string }): Promise<void> {
      await recordAudit(db, { actor: input.by, actorKind: 'staff', tenantId: input.tenantId, action: input.action, reason: input.reason, details: { step: input.step } });
    },

    /**
     * One subaccount per tenant, named `cs:<tenantId>:<slug>`. Looked up by that name before
     * creating, so a crash between Twilio's answer and our insert never yields a second one.
     */
    async provisionSubaccount(tenantId: string): Promise<{ subaccountSid: string; created: boolean }> {
      const stored = await credentialsOfTenant(db, tenantId);
      if (stored) return { subaccountSid: stored.subaccountSid, created: false };
      const { slug } = await tenant(tenantId);
      const friendlyName = subaccountFriendlyName(tenantId, slug);
      const accounts = twilio.platform().api.v2010.accounts;
      const found = (await callTwilio('find subaccount', () => accounts.list({ friendlyName, limit: 20 }))).filter((a) => a.status !== 'closed');
      if (found.length > 1) log.error({ tenantId, sids: found.map((a) => a.sid) }, 'more than one subaccount carries this tenant name; using the oldest');
      const account = found.sort((a, b) => +a.dateCreated - +b.dateCreated)[0] ?? (await callTwilio('create subaccount', () => accounts.create({ friendlyName })));
      await db.transaction(async (trx) => {
        await trx('tenant_credentials')
          .insert({ tenant_id: tenantId, subaccount_sid: account.sid, sealed_auth_token: sealSecret(account.authToken, config.CREDENTIALS_KEY, account.sid) })
          .onConflict('tenant_id')
          .ignore();
        await recordAudit(trx, { actor: 'system:lifecycle', actorKind: 'system', tenantId, action: 'subaccount.provisioned', details: { subaccountSid: account.sid, friendlyName, adopted: found.length > 0 } });
      });
      return { subaccountSid: account.sid, created: found.length === 0 };
    },

    /**
     * Buys one SMS number into the tenant's subaccount, pointed at clearsend's inbound webhook.
     * A number the subaccount already owns (bought before a crash) is adopted, not bought again.
     */
    async grantPhoneNumber(input: { tenantId: string; areaCode?: string }): Promise<{ phoneNumber: string; phoneNumberSid: string }> {
      const granted = await db('tenant_phone_numbers').where({ tenant_id: input.tenantId }).whereNull('released_at').first<{ phone_number: string; phone_number_sid: string } | undefined>();
      if (granted) return { phoneNumber: granted.phone_number, phoneNumberSid: granted.phone_number_sid };
      const t = await tenant(input.tenantId);
      const subaccount = await tenantSubaccount(db, twilio, input.tenantId);
      if (!subaccount) throw ApplicationFailure.nonRetryable('the tenant has no subaccount yet', 'SubaccountMissing');
      const sub = subaccount.client();
      const smsUrl = `${config.PUBLIC_BASE_URL}/webhooks/twilio/inbound`;

      const owned = await callTwilio('list owned numbers', () => sub.incomingPhoneNumbers.list({ limit: 20 }));
      let number = owned[0];
      if (number && number.smsUrl !== smsUrl) {
        number = await callTwilio('point number at clearsend', () => sub.incomingPhoneNumbers(number.sid).update({ smsUrl, smsMethod: 'POST' }));
      }
      if (!number) {
        const owner = parsePhoneNumberFromString(t.owner_phone);
        const country = owner?.country === 'CA' ? 'CA' : 'US';
        const areaCode = input.areaCode ?? t.area_code_preference ?? (owner?.countryCallingCode === '1' ? owner.nationalNumber.slice(0, 3) : undefined);
        const candidates = await callTwilioForNumber('search numbers', areaCode, () =>
          sub.availablePhoneNumbers(country).local.list({ smsEnabled: true, limit: 5, ...(areaCode ? { areaCode: Number(areaCode) } : {}) }),
        );
        if (!candidates.length) throw noNumbersAvailable(areaCode);
        number = await callTwilioForNumber('buy number', areaCode, () =>
          sub.incomingPhoneNumbers.create({ phoneNumber: candidates[0].phoneNumber, smsUrl, smsMethod: 'POST', friendlyName: `cs:${input.tenantId}` }),
        );
      }
      const bought = number;
      await db.transaction(async (trx) => {
        // Twilio has this number in this tenant's subaccount, so a row that still gives it to
        // another tenant remembers what Twilio no longer knows (released in its console, or a
        // sandbox that started from nothing): that row is released, and audited for its tenant.
        const lost = await trx('tenant_phone_numbers')
          .where({ phone_number: bought.phoneNumber })
          .whereNull('released_at')
          .whereNot({ phone_number_sid: bought.sid })
          .update({ released_at: trx.fn.now() })
          .returning<{ tenant_id: string; phone_number_sid: string }[]>(['tenant_id', 'phone_number_sid']);
        for (const row of lost) {
          log.error({ tenantId: row.tenant_id, phoneNumber: bought.phoneNumber, nowHeldBy: input.tenantId }, 'a number clearsend remembered for a tenant is in another subaccount at Twilio; released');
          await recordAudit(trx, { actor: 'system:lifecycle', actorKind: 'system', tenantId: row.tenant_id, action: 'number.lost', details: { phoneNumber: bought.phoneNumber, phoneNumberSid: row.phone_number_sid, nowHeldBy: input.tenantId } });
        }
        await trx('tenant_phone_numbers')
          .insert({ phone_number_sid: bought.sid, tenant_id: input.tenantId, subaccount_sid: subaccount.subaccountSid, phone_number: bought.phoneNumber, sms_url: smsUrl })
          .onConflict('phone_number_sid')
          .ignore();
        await recordAudit(trx, { actor: 'system:lifecycle', actorKind: 'system', tenantId: input.tenantId, action: 'number.granted', details: { phoneNumber: bought.phoneNumber, adopted: owned.length > 0 } });
      });
      return { phoneNumber: bought.phoneNumber, phoneNumberSid: bought.sid };
    },
  };
}

export type TenantLifecycleActivities = ReturnType<typeof createTenantLifecycleActivities>;
