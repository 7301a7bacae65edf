import { ApplicationFailure } from '@temporalio/common';
import type { ActivityDeps } from '../deps';
import { recordAudit } from '../../db/audit';
import { onboardingLimits } from '../../db/onboarding-limits';
import { giveBackAll, takeAll } from '../../db/rate-limits';
import { callTwilio, isTransientTwilioError, twilioErrorOf, twilioFailureType } from '../../twilio/errors';
import { redactPhoneNumbersIn } from '../../domain/redaction';
import type { VerificationCheckStatus } from '../../workflows/tenant-lifecycle/definitions';
import { tenantOf } from './shared';

/** A code went out, or none did because the day's cap for the tenant or its number is reached. */
export type VerificationCapReached = { capReached: 'tenant' | 'phone'; retryAfterMs: number };
export type VerificationStart = { sentTo: string } | VerificationCapReached;

/** Per platform account: a Verify service belongs to the account that made it. */
const verifyServiceSetting = (accountSid: string) => `verify_service_sid:${accountSid}`;
const VERIFY_SERVICE_NAME = 'clearsend';

/** The owner phone's verification through Twilio Verify, on one Verify service per platform account. */
export function createVerificationActivities({ db, twilio, log, config }: ActivityDeps) {
  const limits = onboardingLimits(db, config);

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
      await db('platform_settings')
        .where({ key: verifyServiceSetting(config.TWILIO_ACCOUNT_SID), value: serviceSid })
        .delete();
      const replacement = await verifyServiceSid();
      log.warn({ staleServiceSid: serviceSid, serviceSid: replacement }, 'the remembered Verify service is unknown to Twilio; using a new one');
      await recordAudit(db, {
        actor: 'system:lifecycle',
        actorKind: 'system',
        action: 'platform.verify_service_replaced',
        details: { staleServiceSid: serviceSid, serviceSid: replacement },
      });
      return call(replacement);
    }
  }

  return {
    async startVerification(tenantId: string): Promise<VerificationStart> {
      const { owner_phone } = await tenantOf(db, tenantId);
      const counted = [
        [limits.verifyPerTenant, tenantId],
        [limits.verifyPerPhone, owner_phone],
      ] as const;
      const cap = await takeAll(counted);
      if (!cap.allowed) return { capReached: cap.refusedBy === limits.verifyPerTenant ? 'tenant' : 'phone', retryAfterMs: cap.retryAfterMs };
      try {
        await callTwilio('start verification', () =>
          onVerifyService((serviceSid) => twilio.platform().verify.v2.services(serviceSid).verifications.create({ to: owner_phone, channel: 'sms' })),
        );
      } catch (err) {
        // A code that did not go out is not counted: a retry counts its own.
        await giveBackAll(counted);
        throw err;
      }
      // Only the last digits go back into workflow history and the tenant's view.
      return { sentTo: `…${owner_phone.slice(-4)}` };
    },

    async checkVerificationCode(input: { tenantId: string; code: string }): Promise<VerificationCheckStatus> {
      const { owner_phone } = await tenantOf(db, input.tenantId);
      try {
        const check = await onVerifyService((serviceSid) =>
          twilio.platform().verify.v2.services(serviceSid).verificationChecks.create({ to: owner_phone, code: input.code }),
        );
        return check.status === 'approved' ? 'approved' : 'wrong_code';
      } catch (err) {
        if (isTransientTwilioError(err)) throw err;
        const code = twilioErrorOf(err)?.code;
        // 20404: no pending verification (expired or already used); 60202: too many checks.
        if (code === 20404) return 'expired';
        if (code === 60202) return 'max_attempts_reached';
        throw ApplicationFailure.nonRetryable(`verification check failed: ${redactPhoneNumbersIn(String(err))}`, twilioFailureType(code));
      }
    },
  };
}
