import type { VNode } from 'preact';
import { html } from 'htm/preact';
import { apiSend, ApiError } from '../api';
import { ProblemMessage, formFields, useAction } from '../ui';
import { formatTime } from './format';
import { SandboxCodeHint } from './sandbox-code-hint';
import type { TenantState } from './types';

interface StepFormProps {
  tenantId: string;
  state: TenantState;
  /** Reads the tenant's state again after a change. */
  onChanged: () => Promise<void>;
}

interface VerificationAnswer {
  status: 'approved' | 'wrong_code' | 'expired' | 'max_attempts_reached';
  attemptsLeft: number;
}

/** Built as a string: htm drops whitespace at line breaks, and the formatter moves those. */
const sentNote = (v: TenantState['verification']) =>
  `We texted a code to ${v.sentTo ?? 'the owner’s phone'}${v.expiresAt ? `; it expires ${formatTime(v.expiresAt)}` : ''}. ${v.attemptsLeft} attempts left.`;

const VERIFY_WORDS: Record<VerificationAnswer['status'], string> = {
  approved: 'Code accepted: your phone is verified.',
  wrong_code: 'That code is not the one we sent.',
  expired: 'That code has expired: ask for a new one.',
  max_attempts_reached: 'Too many wrong codes: ask for a new one.',
};

/** The Verify step: the code texted to the owner's phone, and a new code when it did not arrive. */
export function VerificationForm({ tenantId, state, onChanged }: StepFormProps): VNode {
  // A wrong code is a 422 whose body is the answer, not a problem.
  const submit = useAction(async (code: string) => {
    try {
      return await apiSend<VerificationAnswer>('POST', `/v1/tenants/${tenantId}/verification`, { code });
    } catch (err) {
      if (err instanceof ApiError && err.status === 422 && typeof err.problem.status === 'string') return err.problem as unknown as VerificationAnswer;
      throw err;
    } finally {
      await onChanged();
    }
  });
  const resend = useAction(async () => {
    const sent = await apiSend<{ sentTo: string; resendAvailableAt: string }>('POST', `/v1/tenants/${tenantId}/verification/resend`);
    await onChanged();
    return sent;
  });
  const answer = submit.result;
  const { verification } = state;
  return html`<section aria-labelledby="verify-heading">
    <h2 id="verify-heading">Enter your verification code</h2>
    <p>${sentNote(verification)}</p>
    <${SandboxCodeHint} />
    <form
      onSubmit=${(e: SubmitEvent) => {
        const { code } = formFields(e);
        void submit.run(code.trim()).then(() => (e.target as HTMLFormElement | null)?.reset());
      }}
    >
      <label for="verification-code">Verification code</label>
      <input
        id="verification-code"
        name="code"
        inputmode="numeric"
        autocomplete="one-time-code"
        pattern="[0-9]{4,10}"
        required
        aria-describedby="verify-result"
      />
      <button type="submit" aria-busy=${submit.busy ? 'true' : undefined} disabled=${submit.busy}>Verify</button>
    </form>
    <p id="verify-result" role="status">
      ${answer ? `${VERIFY_WORDS[answer.status]}${answer.status === 'approved' ? '' : ` ${answer.attemptsLeft} attempts left.`}` : ''}
    </p>
    <${ProblemMessage} error=${submit.error} />
    <button type="button" class="secondary" onClick=${() => void resend.run()} aria-busy=${resend.busy ? 'true' : undefined} disabled=${resend.busy}>
      Send me a new code
    </button>
    ${verification.resendAvailableAt ? html` <small>A new code can be sent from ${formatTime(verification.resendAvailableAt)}.</small>` : null}
    <p role="status">${resend.result ? `A new code was sent to ${resend.result.sentTo}.` : ''}</p>
    <${ProblemMessage} error=${resend.error} />
  </section>`;
}

/** Twilio's magic test numbers the sandbox step accepts, with what each does. */
const MAGIC_NUMBERS = [
  ['+15005550006', 'a valid number (the send succeeds)'],
  ['+15005550001', 'an invalid number (Twilio refuses it)'],
  ['+15005550009', 'a number that cannot receive SMS'],
] as const;

interface SandboxSendResult {
  ok: boolean;
  status?: string;
  errorCode?: number;
  errorMessage?: string;
}

/** The Magic Number sandbox step: test sends to Twilio's test numbers; nothing reaches a carrier. */
export function SandboxSendForm({ state, onChanged }: StepFormProps): VNode {
  const send = useAction(async (to: string, body: string) => {
    try {
      return await apiSend<SandboxSendResult>('POST', '/v1/sandbox/messages', { to, body });
    } catch (err) {
      if (err instanceof ApiError && err.status === 422 && 'ok' in err.problem) return err.problem as unknown as SandboxSendResult;
      throw err;
    } finally {
      await onChanged();
    }
  });
  const result = send.result;
  return html`<section aria-labelledby="sandbox-heading">
    <h2 id="sandbox-heading">Send test messages</h2>
    <p>${state.sandbox.successfulSends} of ${state.sandbox.required} successful test sends. Test sends go to Twilio’s test numbers only.</p>
    <form
      onSubmit=${(e: SubmitEvent) => {
        const { to, body } = formFields(e);
        void send.run(to, body);
      }}
    >
      <label for="sandbox-to">Test number</label>
      <select id="sandbox-to" name="to">
        ${MAGIC_NUMBERS.map(([number, what]) => html`<option value=${number}>${number}: ${what}</option>`)}
      </select>
      <label for="sandbox-body">Message</label>
      <textarea id="sandbox-body" name="body" required maxlength="1600" rows="3"></textarea>
      <button type="submit" aria-busy=${send.busy ? 'true' : undefined} disabled=${send.busy}>Send test message</button>
    </form>
    <p role="status">
      ${result ? (result.ok ? `Sent (${result.status ?? 'queued'}).` : `Twilio refused it: ${result.errorCode ?? ''} ${result.errorMessage ?? ''}`) : ''}
    </p>
    <${ProblemMessage} error=${send.error} />
  </section>`;
}

/** The number step asked for another area code: Twilio has no number left in the one chosen. */
export function AreaCodeForm({ tenantId, onChanged }: StepFormProps): VNode {
  const choose = useAction(async (areaCode: string) => {
    await apiSend('POST', `/v1/tenants/${tenantId}/number-preference`, { areaCode });
    await onChanged();
    return areaCode;
  });
  return html`<section aria-labelledby="area-code-heading">
    <h2 id="area-code-heading">Choose another area code</h2>
    <form
      onSubmit=${(e: SubmitEvent) => {
        void choose.run(formFields(e).areaCode.trim());
      }}
    >
      <label for="area-code">Area code</label>
      <input id="area-code" name="areaCode" inputmode="numeric" pattern="[0-9]{3}" maxlength="3" required aria-describedby="area-code-help" />
      <small id="area-code-help">Three digits, such as 415.</small>
      <button type="submit" aria-busy=${choose.busy ? 'true' : undefined} disabled=${choose.busy}>Use this area code</button>
    </form>
    <p role="status">${choose.result ? `Looking for a number in area code ${choose.result}.` : ''}</p>
    <${ProblemMessage} error=${choose.error} />
  </section>`;
}
