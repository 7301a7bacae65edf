import type { VNode } from 'preact';
import { useState } from 'preact/hooks';
import { html } from 'htm/preact';
import { CONSENT_METHODS, CONSENT_PURPOSES, type ConsentMethod, type ConsentPurpose } from '../../../domain/consent';
import { FieldError, invalidIf } from './contacts-field-errors';

export const METHOD_LABELS: Record<ConsentMethod, string> = {
  web_form: 'Web form',
  keyword: 'Keyword texted',
  paper_form: 'Paper form',
  verbal: 'Verbal (not enough for marketing)',
  qr_code: 'QR code',
  import: 'Imported from another system',
};

const PURPOSE_LABELS: Record<ConsentPurpose, string> = {
  marketing: 'Marketing: offers and promotions (needs written consent)',
  transactional: 'Transactional: reminders, confirmations, alerts',
  conversational: 'Conversational: replies in an exchange they started',
};

/** The time now as a datetime-local input wants it (local time, to the minute). */
const localNow = (): string => {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};

/**
 * A consent as the API records it (`consentSchema` in src/api/routes/contact-schemas.ts), read from
 * a submitted form's fields; the time typed is the browser's local time.
 */
export function consentOfFields(fields: Record<string, string>, purposes: string[]): Record<string, unknown> {
  return {
    method: fields.consentMethod,
    optedInAt: fields.consentAt ? new Date(fields.consentAt).toISOString() : '',
    ...(fields.consentSource.trim() ? { source: fields.consentSource.trim() } : {}),
    wording: fields.consentWording,
    purposes,
  };
}

/** The purposes ticked in a form (checkboxes named `purposes`). */
export function purposesOf(form: HTMLFormElement): string[] {
  return new FormData(form).getAll('purposes').map(String);
}

/**
 * The consent part of a form: how, when, where, the exact words, and for which message types.
 * `errors` are keyed by the consent's own field names (method, optedInAt, source, wording, purposes).
 */
export function ConsentFields({ idPrefix, errors, legend }: { idPrefix: string; errors: Map<string, string>; legend: string }): VNode {
  const id = (name: string) => `${idPrefix}-${name}`;
  // Held in state: a re-render (after the API's error, say) would otherwise put back the initial time.
  const [at, setAt] = useState(localNow);
  return html`<fieldset>
    <legend>${legend}</legend>
    <p><small>Marketing texts go only to contacts with written consent for marketing; without it they are skipped (no_consent).</small></p>
    <label for=${id('method')}>How they consented</label>
    <select id=${id('method')} name="consentMethod" required ...${invalidIf(errors, 'method', id('method'))}>
      ${CONSENT_METHODS.map((m) => html`<option key=${m} value=${m}>${METHOD_LABELS[m]}</option>`)}
    </select>
    <${FieldError} errors=${errors} field="method" id=${id('method')} />
    <label for=${id('at')}>When (your local time)</label>
    <input
      id=${id('at')}
      name="consentAt"
      type="datetime-local"
      required
      value=${at}
      onInput=${(e: Event) => setAt((e.currentTarget as HTMLInputElement).value)}
      ...${invalidIf(errors, 'optedInAt', id('at'))}
    />
    <${FieldError} errors=${errors} field="optedInAt" id=${id('at')} />
    <label for=${id('source')}>Source: the form’s URL, the keyword, or the paper form’s reference</label>
    <input id=${id('source')} name="consentSource" maxlength="2000" ...${invalidIf(errors, 'source', id('source'))} />
    <${FieldError} errors=${errors} field="source" id=${id('source')} />
    <label for=${id('wording')}>Exact words they agreed to</label>
    <textarea
      id=${id('wording')}
      name="consentWording"
      rows="3"
      required
      minlength="10"
      maxlength="2000"
      ...${invalidIf(errors, 'wording', id('wording'))}
    ></textarea>
    <${FieldError} errors=${errors} field="wording" id=${id('wording')} />
    <${PurposeBoxes} legend="Message types it covers" initial="transactional" labels=${PURPOSE_LABELS} errors=${errors} errorId=${id('purposes')} />
  </fieldset>`;
}

/**
 * Checkboxes named `purposes`, one per message type. Their state is kept here: Preact puts a
 * rendered `checked` back on every render, which would undo a tick after the API's error.
 */
export function PurposeBoxes(props: {
  legend: string;
  initial: ConsentPurpose;
  labels: Record<ConsentPurpose, string>;
  errors: Map<string, string>;
  errorId: string;
}): VNode {
  const [ticked, setTicked] = useState<ReadonlySet<ConsentPurpose>>(new Set([props.initial]));
  const toggle = (p: ConsentPurpose, on: boolean) => setTicked(new Set(on ? [...ticked, p] : [...ticked].filter((t) => t !== p)));
  return html`<fieldset aria-describedby=${props.errors.has('purposes') ? `${props.errorId}-error` : undefined}>
    <legend>${props.legend}</legend>
    ${CONSENT_PURPOSES.map(
      (p) =>
        html`<label key=${p}>
          <input
            type="checkbox"
            name="purposes"
            value=${p}
            checked=${ticked.has(p)}
            onChange=${(e: Event) => toggle(p, (e.currentTarget as HTMLInputElement).checked)}
          />
          ${props.labels[p]}
        </label>`,
    )}
    <${FieldError} errors=${props.errors} field="purposes" id=${props.errorId} />
  </fieldset>`;
}
