import type { VNode } from 'preact';
import { html } from 'htm/preact';
import { session } from '../session';

/**
 * Against clearsend's local sandbox no SMS reaches a phone: the code Verify "sent" is read from
 * the sandbox. Shown only when the session names the sandbox (never with real Twilio).
 */
export function SandboxCodeHint(): VNode | null {
  const { sandboxUrl, ownerPhone } = session.value ?? {};
  if (!sandboxUrl || !ownerPhone) return null;
  const href = `${sandboxUrl}/__sandbox/verify/code?to=${encodeURIComponent(ownerPhone)}`;
  return html`<p class="sandbox-hint">
    Local sandbox: your code is at${' '}
    <a href=${href} target="_blank" rel="noopener noreferrer">the sandbox’s Verify code page (opens in a new tab)</a>.
  </p>`;
}
