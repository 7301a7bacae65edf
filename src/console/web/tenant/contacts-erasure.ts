import type { VNode } from 'preact';
import { useState } from 'preact/hooks';
import { html } from 'htm/preact';
import { navigate } from '../routing';
import { ProblemMessage, useAction } from '../ui';

/**
 * Erasure on the person's request (POST /v1/contacts/:id/erasure): asked for twice, because it
 * cannot be undone. Afterwards the contact is gone, so the page goes back to the list.
 */
export function ContactErasure({ erase }: { contactId: string; erase: (reason: string) => Promise<unknown> }): VNode {
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState('');
  const run = useAction(async () => {
    await erase(reason.trim());
    navigate('/tenant/contacts');
    return true;
  });
  return html`<section aria-labelledby="erase-heading">
    <h2 id="erase-heading">Erase this contact</h2>
    ${
      confirming
        ? html`<article role="alertdialog" aria-labelledby="erase-confirm-title" aria-describedby="erase-confirm-text">
            <p id="erase-confirm-title"><strong>Erase this contact for good?</strong></p>
            <p id="erase-confirm-text">
              Their name, number, custom fields, consent history, replies and message texts are deleted now and cannot be restored; Twilio’s copies of their
              messages are redacted. Only a keyed hash of the number is kept, so they are never texted again, even if the number is imported later.
            </p>
            <label for="erase-reason">Reason (optional, kept in the audit log)</label>
            <input id="erase-reason" maxlength="2000" value=${reason} onInput=${(e: Event) => setReason((e.currentTarget as HTMLInputElement).value)} />
            <div class="grid">
              <button type="button" class="secondary" onClick=${() => setConfirming(false)}>Keep the contact</button>
              <button type="button" class="contrast" disabled=${run.busy} aria-busy=${run.busy ? 'true' : undefined} onClick=${() => void run.run()}>
                Erase for good
              </button>
            </div>
          </article>`
        : html`<p>When the person asks you to delete everything you hold about them.</p>
            <button type="button" class="secondary outline" onClick=${() => setConfirming(true)}>Erase contact…</button>`
    }
    <${ProblemMessage} error=${run.error} />
  </section>`;
}
