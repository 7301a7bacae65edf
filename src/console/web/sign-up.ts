import type { VNode } from 'preact';
import { useState } from 'preact/hooks';
import { html } from 'htm/preact';
import { OPT_IN_METHODS, USE_CASES } from '../../domain/kyc-risk';
import { apiSend } from './api';
import { Link, navigate } from './routing';
import { signIn } from './sign-in-out';
import { words } from './tenant/format';
import { RegistrationFields } from './tenant/registration-form';
import { useAction } from './ui';
import { fieldErrorsOf, FormField, nestedFields } from './ui/form-field';
import { ProblemMessage } from './ui/problem-message';

interface SignupAnswer {
  tenant: { id: string };
  apiKey: string;
}

/** Text fields as POST /v1/tenants takes them: lists split, numbers as numbers, the optional registration only when opened. */
function signupBodyOf(form: HTMLFormElement): Record<string, unknown> {
  const body = nestedFields(form);
  const split = (value: unknown, at: RegExp) =>
    typeof value === 'string'
      ? value
          .split(at)
          .map((s) => s.trim())
          .filter(Boolean)
      : undefined;
  body.sampleMessages = split(body.sampleMessages, /\n\s*\n/);
  body.destinationCountries = split(body.destinationCountries, /[\s,]+/)?.map((c) => c.toUpperCase());
  if (typeof body.expectedMonthlyVolume === 'string') body.expectedMonthlyVolume = Number(body.expectedMonthlyVolume);
  body.ageGate = form.querySelector<HTMLInputElement>('#signup-age-gate')?.checked ?? false;
  if (!form.querySelector<HTMLDetailsElement>('#signup-registration')?.open) delete body.registration;
  return body;
}

/**
 * A business signs up (signed out). The API validates (its field errors are shown next to the
 * fields; nothing is created); on 202 the owner's API key is shown once, held only in this
 * page's memory, and Continue exchanges it for a session.
 */
export function SignUpPage(): VNode {
  const signUp = useAction((body: Record<string, unknown>) => apiSend<SignupAnswer>('POST', '/v1/tenants', body));
  const errors = fieldErrorsOf(signUp.error);
  const onSubmit = (e: SubmitEvent) => {
    e.preventDefault();
    void signUp.run(signupBodyOf(e.currentTarget as HTMLFormElement));
  };
  const f = (name: string, label: string, more: Partial<Parameters<typeof FormField>[0]> = {}) =>
    html`<${FormField} name=${name} label=${label} errors=${errors} required ...${more} />`;
  return html`
    <a class="skip-link" href="#main">Skip to content</a>
    <main id="main" class="container sign-up" tabindex="-1">
      ${
        signUp.result
          ? html`<${KeyOnce} apiKey=${signUp.result.apiKey} />`
          : html`<h1 tabindex="-1">Sign up your business</h1>
            <p>Already have a key? <${Link} to="/">Sign in</${Link}>.</p>
            <form onSubmit=${onSubmit} noValidate>
              ${f('businessName', 'Business name', { autocomplete: 'organization' })}
              ${f('website', 'Website', { type: 'url', required: false, placeholder: 'https://' })}
              <fieldset class="grid">
                <legend>Contact person</legend>
                ${f('contact.name', 'Contact name', { autocomplete: 'name' })} ${f('contact.email', 'Contact email', { type: 'email', autocomplete: 'email' })}
              </fieldset>
              ${f('ownerPhone', 'Owner’s phone', { type: 'tel', autocomplete: 'tel', placeholder: '+14155552671', help: 'In international format. We text a verification code to it.' })}
              ${f('useCase', 'What you send', { type: 'select', options: USE_CASES.map((u) => [u, words(u)] as const) })}
              ${f('useCaseDescription', 'Describe your messages', { type: 'textarea' })}
              ${f('sampleMessages', 'Sample messages', { type: 'textarea', rows: 5, help: 'One to five messages, separated by an empty line. Carrier registration needs at least two.' })}
              ${f('optInMethod', 'How recipients opt in', { type: 'select', options: OPT_IN_METHODS.map((m) => [m, words(m)] as const) })}
              ${f('expectedMonthlyVolume', 'Expected messages per month', { type: 'number', inputmode: 'numeric' })}
              ${f('destinationCountries', 'Destination countries', { value: 'US', help: 'Two-letter codes separated by commas, such as US, CA.' })}
              <label><input id="signup-age-gate" type="checkbox" role="switch" /> We verify recipients’ age at opt-in</label>
              <details id="signup-registration">
                <summary>Carrier registration details (optional now; we ask for them later)</summary>
                <${RegistrationFields} prefix="registration." errors=${errors} />
              </details>
              <button type="submit" aria-busy=${signUp.busy ? 'true' : undefined} disabled=${signUp.busy}>Sign up</button>
            </form>
            <${ProblemMessage} error=${signUp.error} />`
      }
    </main>
  `;
}

/** The owner's key, shown this once; Continue signs in with it. It goes into no URL and no storage. */
function KeyOnce({ apiKey }: { apiKey: string }): VNode {
  const [copied, setCopied] = useState(false);
  const proceed = useAction(async () => {
    await signIn(apiKey);
    navigate('/tenant', { replace: true });
    return true;
  });
  return html`<h1 tabindex="-1">You are signed up</h1>
    <article>
      <header><strong>Save this key: it is shown only now.</strong></header>
      <p>It is your account owner’s API key. We keep only its hash, so it cannot be shown again. You sign in to the console with it.</p>
      <label for="new-api-key">Your API key</label>
      <input id="new-api-key" readonly value=${apiKey} spellcheck="false" autocomplete="off" />
      <button
        type="button"
        class="secondary"
        onClick=${() =>
          void navigator.clipboard?.writeText(apiKey).then(
            () => setCopied(true),
            () => setCopied(false),
          )}
      >
        Copy key
      </button>
      <span role="status"> ${copied ? 'Copied.' : ''}</span>
    </article>
    <button type="button" onClick=${() => void proceed.run()} aria-busy=${proceed.busy ? 'true' : undefined} disabled=${proceed.busy}>Continue</button>
    <${ProblemMessage} error=${proceed.error} />`;
}
