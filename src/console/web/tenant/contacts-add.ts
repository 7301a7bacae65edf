import type { VNode } from 'preact';
import { useState } from 'preact/hooks';
import { html } from 'htm/preact';
import { apiSend } from '../api';
import { ProblemMessage, formFields, useAction } from '../ui';
import { ConsentFields, consentOfFields, purposesOf } from './contacts-consent-fields';
import { FieldError, fieldErrorsOf, invalidIf } from './contacts-field-errors';
import type { ContactsStored } from './contacts-types';

/** Tags as typed ("vip, spring promo") as the API takes them. */
export const tagsOf = (text: string): string[] =>
  text
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);

/**
 * Adds one contact (POST /v1/contacts with one contact), optionally with the consent they gave. The
 * API's field errors (`contacts.0.phone`, `contacts.0.consent.source`) are shown under their
 * inputs; a refused contact is not stored.
 */
export function AddContactForm({ onAdded }: { onAdded: () => void }): VNode {
  const [withConsent, setWithConsent] = useState(true);
  const add = useAction(async (form: HTMLFormElement, fields: Record<string, string>) => {
    const contact = {
      phone: fields.phone,
      ...(fields.name.trim() ? { name: fields.name } : {}),
      assignedUser: fields.assignedUser,
      tags: tagsOf(fields.tags),
      ...(withConsent ? { consent: consentOfFields(fields, purposesOf(form)) } : {}),
    };
    const stored = await apiSend<ContactsStored>('POST', '/v1/contacts', { contacts: [contact] });
    form.reset();
    onAdded();
    return stored;
  });
  const errors = fieldErrorsOf(add.error, 'contacts.0.');
  const consentErrors = fieldErrorsOf(add.error, 'contacts.0.consent.');
  const onSubmit = (e: SubmitEvent) => {
    const form = e.currentTarget as HTMLFormElement;
    void add.run(form, formFields(e));
  };
  return html`<form onSubmit=${onSubmit} aria-labelledby="add-contact-heading" novalidate>
    <h2 id="add-contact-heading">Add a contact</h2>
    <label for="contact-phone">Mobile number</label>
    <input
      id="contact-phone"
      name="phone"
      type="tel"
      autocomplete="off"
      required
      maxlength="40"
      placeholder="+1 415 555 0123"
      ...${invalidIf(errors, 'phone', 'contact-phone')}
    />
    <${FieldError} errors=${errors} field="phone" id="contact-phone" />
    <label for="contact-name">Name (optional)</label>
    <input id="contact-name" name="name" autocomplete="off" maxlength="200" ...${invalidIf(errors, 'name', 'contact-name')} />
    <${FieldError} errors=${errors} field="name" id="contact-name" />
    <label for="contact-assigned">Assigned user: who answers their replies</label>
    <input id="contact-assigned" name="assignedUser" required maxlength="200" ...${invalidIf(errors, 'assignedUser', 'contact-assigned')} />
    <${FieldError} errors=${errors} field="assignedUser" id="contact-assigned" />
    <label for="contact-tags">Tags (separated by commas, optional)</label>
    <input id="contact-tags" name="tags" maxlength="1300" ...${invalidIf(errors, 'tags', 'contact-tags')} />
    <${FieldError} errors=${errors} field="tags" id="contact-tags" />
    <label>
      <input type="checkbox" role="switch" checked=${withConsent} onChange=${(e: Event) => setWithConsent((e.currentTarget as HTMLInputElement).checked)} />
      Record the consent they gave
    </label>
    ${withConsent ? html`<${ConsentFields} idPrefix="add-consent" errors=${consentErrors} legend="Their consent" />` : html`<p><small>Without a recorded consent this contact gets transactional and conversational texts only, never marketing.</small></p>`}
    <button type="submit" disabled=${add.busy} aria-busy=${add.busy ? 'true' : undefined}>Add contact</button>
    <div role="status" aria-live="polite">
      ${add.result && !add.error ? html`<p class="added">Contact ${add.result.created ? 'added' : 'updated'}.${add.result.erasedNote ? ` ${add.result.erasedNote}` : ''}</p>` : null}
    </div>
    <${ProblemMessage} error=${add.error} />
  </form>`;
}
