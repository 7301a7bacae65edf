import { ApplicationFailure } from '@temporalio/common';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { ActivityDeps } from '../deps';
import { recordAudit } from '../../db/audit';
import { registrationOf } from '../../db/carrier-registrations';
import { credentialsOfTenant, tenantSubaccount } from '../../db/tenant-credentials';
import { subaccountFriendlyName } from '../../domain/tenant-naming';
import { sealSecret } from '../../twilio/credential-sealing';
import { callTwilio, rethrowTwilioError, twilioErrorOf } from '../../twilio/errors';
import { NO_NUMBERS_AVAILABLE } from '../../workflows/tenant-lifecycle/definitions';
import { tenantOf } from './shared';

/**
 * Twilio's answers when buying a number that mean "no number for that": none left in the area
 * code (21452), the number picked is invalid (21421) or was taken meanwhile (21422).
 */
const NO_NUMBER_CODES: ReadonlySet<number> = new Set([21452, 21421, 21422]);

/** The number step's refusal the workflow acts on (the tenant picks another area code). */
export const noNumbersAvailable = (areaCode: string | undefined, twilioCode?: number) =>
  ApplicationFailure.nonRetryable(`No SMS-capable numbers are available in area code ${areaCode ?? '(any)'}`, NO_NUMBERS_AVAILABLE, {
    areaCode,
    ...(twilioCode ? { twilioCode } : {}),
  });

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

/** The tenant's own Twilio: its subaccount, and its number in that subaccount. */
export function createProvisioningActivities({ db, twilio, log, config }: ActivityDeps) {
  return {
    /**
     * One subaccount per tenant, named `cs:<tenantId>:<slug>`. Looked up by that name before
     * creating, so a crash between Twilio's answer and our insert never yields a second one.
     */
    async provisionSubaccount(tenantId: string): Promise<{ subaccountSid: string; created: boolean }> {
      const stored = await credentialsOfTenant(db, tenantId);
      if (stored) return { subaccountSid: stored.subaccountSid, created: false };
      const { slug } = await tenantOf(db, tenantId);
      const friendlyName = subaccountFriendlyName(tenantId, slug);
      const accounts = twilio.platform().api.v2010.accounts;
      const found = (await callTwilio('find subaccount', () => accounts.list({ friendlyName, limit: 20 }))).filter((a) => a.status !== 'closed');
      if (found.length > 1) log.error({ tenantId, sids: found.map((a) => a.sid) }, 'more than one subaccount carries this tenant name; using the oldest');
      const account =
        found.sort((a, b) => +a.dateCreated - +b.dateCreated)[0] ?? (await callTwilio('create subaccount', () => accounts.create({ friendlyName })));
      await db.transaction(async (trx) => {
        await trx('tenant_credentials')
          .insert({ tenant_id: tenantId, subaccount_sid: account.sid, sealed_auth_token: sealSecret(account.authToken, config.CREDENTIALS_KEY, account.sid) })
          .onConflict('tenant_id')
          .ignore();
        await recordAudit(trx, {
          actor: 'system:lifecycle',
          actorKind: 'system',
          tenantId,
          action: 'subaccount.provisioned',
          details: { subaccountSid: account.sid, friendlyName, adopted: found.length > 0 },
        });
      });
      return { subaccountSid: account.sid, created: found.length === 0 };
    },

    /**
     * Buys one SMS number into the tenant's subaccount, pointed at clearsend's inbound webhook.
     * A number the subaccount already owns (bought before a crash) is adopted, not bought again.
     */
    async grantPhoneNumber(input: { tenantId: string; areaCode?: string }): Promise<{ phoneNumber: string; phoneNumberSid: string }> {
      const granted = await db('tenant_phone_numbers')
        .where({ tenant_id: input.tenantId })
        .whereNull('released_at')
        .first<{ phone_number: string; phone_number_sid: string } | undefined>();
      if (granted) return { phoneNumber: granted.phone_number, phoneNumberSid: granted.phone_number_sid };
      const t = await tenantOf(db, input.tenantId);
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
        // A tenant registering through toll-free verification gets a toll-free number (no area code); others a local one for 10DLC.
        const tollfree = (await registrationOf(db, input.tenantId))?.kind === 'tollfree';
        const available = sub.availablePhoneNumbers(country);
        const candidates: Array<{ phoneNumber: string }> = await callTwilioForNumber('search numbers', areaCode, () =>
          tollfree
            ? available.tollFree.list({ smsEnabled: true, limit: 5 }).then((found) => found.map((n) => ({ phoneNumber: n.phoneNumber })))
            : available.local.list({ smsEnabled: true, limit: 5, ...(areaCode ? { areaCode: Number(areaCode) } : {}) }),
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
          log.error(
            { tenantId: row.tenant_id, phoneNumber: bought.phoneNumber, nowHeldBy: input.tenantId },
            'a number clearsend remembered for a tenant is in another subaccount at Twilio; released',
          );
          await recordAudit(trx, {
            actor: 'system:lifecycle',
            actorKind: 'system',
            tenantId: row.tenant_id,
            action: 'number.lost',
            details: { phoneNumber: bought.phoneNumber, phoneNumberSid: row.phone_number_sid, nowHeldBy: input.tenantId },
          });
        }
        await trx('tenant_phone_numbers')
          .insert({
            phone_number_sid: bought.sid,
            tenant_id: input.tenantId,
            subaccount_sid: subaccount.subaccountSid,
            phone_number: bought.phoneNumber,
            sms_url: smsUrl,
          })
          .onConflict('phone_number_sid')
          .ignore();
        await recordAudit(trx, {
          actor: 'system:lifecycle',
          actorKind: 'system',
          tenantId: input.tenantId,
          action: 'number.granted',
          details: { phoneNumber: bought.phoneNumber, adopted: owned.length > 0 },
        });
      });
      return { phoneNumber: bought.phoneNumber, phoneNumberSid: bought.sid };
    },
  };
}
