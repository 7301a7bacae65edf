import type { VNode } from 'preact';
import { useState } from 'preact/hooks';
import { html } from 'htm/preact';
import { Link } from './routing';
import { signIn } from './sign-in-out';
import { ProblemMessage } from './ui/problem-message';

/**
 * The key is read from the field, posted once (never put in the URL or in storage) and the
 * field is cleared, whatever the answer.
 */
export function SignInPage(): VNode {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const field = form.elements.namedItem('key') as HTMLInputElement;
    const key = field.value.trim();
    field.value = '';
    setBusy(true);
    signIn(key)
      .then(() => setError(undefined))
      .catch((err: unknown) => {
        setError(err);
        setBusy(false);
        field.focus();
      });
  };
  return html`
    <a class="skip-link" href="#main">Skip to content</a>
    <main id="main" class="container sign-in" tabindex="-1">
      <article>
        <header><h1>Sign in to the clearsend console</h1></header>
        <form method="post" action="/console/session" onSubmit=${onSubmit}>
          <label for="api-key">API key</label>
          <input
            id="api-key"
            name="key"
            type="password"
            autocomplete="off"
            spellcheck="false"
            required
            aria-describedby="api-key-help"
            aria-invalid=${error ? 'true' : undefined}
          />
          <small id="api-key-help"
            >A tenant key (cs_tenant_…) or a staff key (cs_staff_…). It is exchanged for a session cookie and not kept by the page.</small
          >
          <button type="submit" aria-busy=${busy ? 'true' : undefined} disabled=${busy}>Sign in</button>
        </form>
        <${ProblemMessage} error=${error} />
        <footer>New here? <${Link} to="/sign-up">Sign up your business</${Link}></footer>
      </article>
    </main>
  `;
}
