import { setHandler } from '@temporalio/workflow';
import type { VerificationCapReached } from '../../activities/tenant-lifecycle';
import { Refusal } from '../shared-definitions';
import { refuse } from '../staff-decision-updates';
import { resendVerificationCodeUpdate, submitVerificationCodeUpdate } from './definitions';
import { persevere } from './held-steps';
import { checkpoint, needs, waitUntil, type LifecycleRun } from './run';

/** Texts a code, or answers why none went out (the day's cap for the tenant or its number). */
// The Update that resends calls Verify directly (its caller hears a failure); the step holds on one.
async function sendVerificationCode(run: LifecycleRun, start = () => run.acts.startVerification(run.tenantId)): Promise<VerificationCapReached | undefined> {
  const { tenantId, state } = run;
  const { timings } = run.input;
  const started = await start();
  if ('capReached' in started) return started;
  const { sentTo } = started;
  const now = Date.now();
  Object.assign(state.verification, {
    sentTo,
    attemptsLeft: timings.maxVerificationAttempts,
    expiresAt: new Date(now + timings.verificationTtlMs).toISOString(),
    resendAvailableAt: new Date(now + timings.resendCooldownMs).toISOString(),
  });
  needs(run, `Enter the code sent to ${sentTo} (POST /v1/tenants/${tenantId}/verification).`);
}

const capText = ({ capReached }: VerificationCapReached) =>
  capReached === 'tenant'
    ? 'This tenant has had as many verification codes as a day allows.'
    : 'The owner phone has had as many verification codes as a day allows.';

/** The tenant's Updates of the verification step: a code to check, a new code to send. */
export function handleVerificationUpdates(run: LifecycleRun): void {
  const { state } = run;
  // Codes are taken only once one was sent: before that there is nothing to check or resend.
  const awaitingCode = () => state.step === 'verification' && state.verification.sentTo !== undefined && !state.verification.verified && !state.suspended;

  setHandler(
    submitVerificationCodeUpdate,
    async ({ code }) => {
      const v = state.verification;
      if (v.expiresAt && Date.now() > Date.parse(v.expiresAt)) return { status: 'expired', attemptsLeft: v.attemptsLeft };
      v.attemptsLeft -= 1;
      const status = await run.acts.checkVerificationCode({ tenantId: run.tenantId, code });
      if (status === 'approved') {
        v.verified = true;
        needs(run);
      }
      if (status === 'max_attempts_reached') v.attemptsLeft = 0;
      return { status, attemptsLeft: v.attemptsLeft };
    },
    {
      validator: ({ code }) => {
        if (!awaitingCode()) throw refuse(Refusal.NotInStep, 'The tenant is not waiting for a verification code.');
        if (typeof code !== 'string' || !/^\d{4,10}$/.test(code)) throw refuse(Refusal.InvalidInput, 'code must be 4 to 10 digits');
        if (state.verification.attemptsLeft <= 0) throw refuse(Refusal.AttemptsExhausted, 'No attempts left for this code: ask for a new one.');
      },
    },
  );

  setHandler(
    resendVerificationCodeUpdate,
    async () => {
      const capped = await sendVerificationCode(run);
      if (capped) throw refuse(Refusal.TooManyVerifications, `${capText(capped)} The code already sent still works until it expires.`, capped.retryAfterMs);
      return { sentTo: state.verification.sentTo!, resendAvailableAt: state.verification.resendAvailableAt! };
    },
    {
      validator: () => {
        if (!awaitingCode()) throw refuse(Refusal.NotInStep, 'The tenant is not waiting for a verification code.');
        const available = state.verification.resendAvailableAt;
        if (available && Date.now() < Date.parse(available))
          throw refuse(Refusal.Cooldown, `A new code can be sent from ${available}.`, Date.parse(available) - Date.now());
      },
    },
  );
}

/**
 * The verification step's wait: a code goes out and the tenant enters it. At the day's cap no
 * code goes out: the tenant is told when, and the workflow sends it then.
 */
export async function ownerPhoneVerified(run: LifecycleRun): Promise<void> {
  const { verification } = run.state;
  const startHeld = () => persevere(run, 'startVerification', (a) => a.startVerification(run.tenantId));
  let capped = await sendVerificationCode(run, startHeld);
  while (capped) {
    needs(run, `${capText(capped)} A code will be sent at ${new Date(Date.now() + capped.retryAfterMs).toISOString()}.`);
    if (await waitUntil(run, () => verification.verified, Math.max(capped.retryAfterMs, 1000))) break;
    await checkpoint(run);
    capped = await sendVerificationCode(run, startHeld);
  }
  await waitUntil(run, () => verification.verified);
}
