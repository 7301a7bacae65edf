import type { ActivityDeps } from '../deps';
import { isTransientTwilioError, twilioErrorOf, twilioMessageOf } from '../../twilio/errors';
import type { SandboxSendRequest, SandboxSendResult } from '../../workflows/tenant-lifecycle/definitions';
import { dataKeysFor } from '../../crypto/data-keys';

/** The sandbox step's test sends, with Twilio's test credentials. */
export function createSandboxActivities({ db, twilio, config }: ActivityDeps) {
  const keys = dataKeysFor(db, config);
  return {
    /** A magic-number test send with Twilio test credentials; Twilio's business answer is a result, not a failure. */
    async sendSandboxTestMessage(input: SandboxSendRequest & { tenantId: string }): Promise<SandboxSendResult> {
      const { from, to } = input;
      const body = input.sealedBody === undefined ? (input.body ?? '') : await keys.open(input.tenantId, 'workflow.sandbox_send_body', input.sealedBody);
      let result: SandboxSendResult;
      try {
        const message = await twilio.testCredentials().messages.create({ from, to, body });
        result = { ok: true, sid: message.sid, status: message.status, from, to };
      } catch (err) {
        if (isTransientTwilioError(err)) throw err;
        const twilioError = twilioErrorOf(err)!;
        result = {
          ok: false,
          errorCode: twilioError.code ?? twilioError.status ?? 0,
          errorMessage: twilioMessageOf(twilioError) ?? 'rejected by Twilio',
          from,
          to,
        };
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
  };
}
