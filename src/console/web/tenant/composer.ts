import type { VNode } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from 'htm/preact';
import { apiGet, apiSend } from '../api';
import { Link, navigate } from '../routing';
import { ProblemMessage, formFields, useAction } from '../ui';
import { formatUsd } from './format';
import { NotForYourRole, tenantMay } from './role';
import { ScanPreview, verdictOf } from './scan-preview';
import type { CreatedCampaign, MessageType, ScanAnswer } from './types';
import { useDebounced } from './use-polling';

const MESSAGE_TYPES: Array<[MessageType, string]> = [
  ['transactional', 'Transactional: reminders, confirmations, alerts'],
  ['marketing', 'Marketing: offers and promotions (opt-out line repeated periodically)'],
  ['conversational', 'Conversational: replies in an ongoing exchange'],
];
/** The API's limit (MAX_BODY_LENGTH in src/domain/compliance/judge.ts, not imported: it would bundle the engine). */
const MAX_BODY_LENGTH = 1600;
/** How long typing must pause before the preview asks the scan again. */
const PREVIEW_DELAY_MS = 350;
/** Counted for the estimate; above it the estimate says "at least". */
const AUDIENCE_COUNT_CAP = 1000;

interface Draft {
  body: string;
  messageType: MessageType;
  tag: string;
}

/** The campaign composer: write, see the verdict and cost while typing, create the draft, then start it. */
export function ComposerPage(): VNode {
  if (!tenantMay('campaigns.write')) return html`<${NotForYourRole} why="Creating campaigns needs an admin or a sender of your account." />`;
  return html`<${Composer} />`;
}

function Composer(): VNode {
  const [draft, setDraft] = useState<Draft>({ body: '', messageType: 'transactional', tag: '' });
  const [scan, setScan] = useState<ScanAnswer | undefined>(undefined);
  const [scannedBody, setScannedBody] = useState('');
  const [recipients, setRecipients] = useState<number | undefined>(undefined);
  // Counted once per tag, not at every pause in typing.
  const audienceByTag = useRef(new Map<string, number>());
  // Only the answer to the latest text is shown: an earlier, slower answer arriving late is dropped.
  const latestPreview = useRef(0);
  const preview = useAction(async (d: Draft) => {
    const asked = ++latestPreview.current;
    const audience = audienceByTag.current.get(d.tag) ?? (await audienceSize(d.tag));
    audienceByTag.current.set(d.tag, audience);
    const answer = await apiSend<ScanAnswer>('POST', '/v1/scan', { body: d.body, messageType: d.messageType, recipients: audience });
    if (asked !== latestPreview.current) return undefined;
    setRecipients(audience);
    setScan(answer);
    setScannedBody(d.body);
    return answer;
  });
  useDebounced(draft, PREVIEW_DELAY_MS, (d) => {
    if (d.body.trim()) void preview.run(d);
    else setScan(undefined);
  });
  const create = useAction(async (fields: Record<string, string>) =>
    apiSend<CreatedCampaign>('POST', '/v1/campaigns', {
      name: fields.name,
      body: draft.body,
      messageType: draft.messageType,
      ...(draft.tag.trim() ? { audienceTag: draft.tag.trim() } : {}),
    }),
  );
  const blocked = scan !== undefined && scannedBody === draft.body && verdictOf(scan.findings) === 'block';
  if (create.result) return html`<${CreatedDraft} campaign=${create.result} />`;
  const update = (change: Partial<Draft>) => setDraft({ ...draft, ...change });
  return html`<div class="grid composer">
    <form onSubmit=${(e: SubmitEvent) => void create.run(formFields(e))} aria-labelledby="compose-heading">
      <h2 id="compose-heading">Message</h2>
      <label for="campaign-name">Campaign name</label>
      <input id="campaign-name" name="name" required maxlength="200" />
      <fieldset>
        <legend>Message type</legend>
        ${MESSAGE_TYPES.map(
          ([type, label]) =>
            html`<label key=${type}>
              <input type="radio" name="messageType" value=${type} checked=${draft.messageType === type} onChange=${() => update({ messageType: type })} />
              ${label}
            </label>`,
        )}
      </fieldset>
      <label for="campaign-body">Message text</label>
      <textarea
        id="campaign-body"
        name="body"
        required
        rows="6"
        maxlength=${MAX_BODY_LENGTH}
        value=${draft.body}
        onInput=${(e: Event) => update({ body: (e.currentTarget as HTMLTextAreaElement).value })}
        aria-describedby="body-help"
      ></textarea>
      <small id="body-help">Your business name and an opt-out line are added when missing; the preview shows the message as sent.</small>
      <label for="campaign-tag">Audience tag (optional)</label>
      <input
        id="campaign-tag"
        name="audienceTag"
        maxlength="64"
        value=${draft.tag}
        onInput=${(e: Event) => update({ tag: (e.currentTarget as HTMLInputElement).value })}
        aria-describedby="tag-help"
      />
      <small id="tag-help">Only contacts with this tag; leave empty for all your contacts.</small>
      <button
        type="submit"
        disabled=${create.busy || blocked}
        aria-busy=${create.busy ? 'true' : undefined}
        aria-describedby=${blocked ? 'blocked-help' : undefined}
      >
        Create draft
      </button>
      ${blocked ? html`<p id="blocked-help"><small>Blocked content cannot become a campaign: change the highlighted text first.</small></p>` : null}
      <${ProblemMessage} error=${create.error} />
    </form>
    <div>
      <${ScanPreview} body=${scannedBody} scan=${scan} recipients=${recipients} busy=${preview.busy} />
      <${ProblemMessage} error=${preview.error} />
    </div>
  </div>`;
}

/** How many contacts the campaign would reach, counted up to a cap (the estimate only; creation counts exactly). */
async function audienceSize(tag: string): Promise<number> {
  const query = new URLSearchParams({ limit: String(AUDIENCE_COUNT_CAP), ...(tag.trim() ? { tag: tag.trim() } : {}) });
  const page = await apiGet<{ contacts: unknown[] }>(`/v1/contacts?${query.toString()}`);
  return page.contacts.length;
}

/** The draft as created: the exact audience and cost, then start (or why it cannot start yet). */
function CreatedDraft({ campaign }: { campaign: CreatedCampaign }): VNode {
  const start = useAction(async () => {
    await apiSend('POST', `/v1/campaigns/${campaign.id}/start`);
    navigate(`/tenant/campaigns/${campaign.id}`);
    return true;
  });
  const verdict = campaign.scan ? verdictOf(campaign.scan.findings) : 'clear';
  const { audience } = campaign;
  // The form the focus was in is gone: start reading (and tabbing) at what replaced it.
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return html`<article aria-labelledby="created-heading">
    <header><h2 id="created-heading" tabindex="-1" ref=${heading}>Draft “${campaign.name}” created</h2></header>
    <p>
      It will reach <strong>${audience.contacts}</strong> ${audience.contacts === 1 ? 'contact' : 'contacts'}: ${audience.segments} segments, estimated
      <strong>${formatUsd(audience.costEstimateUsd)}</strong>.
    </p>
    ${
      verdict === 'review'
        ? html`<p role="status"><strong>Waiting for compliance review.</strong> It can be started once compliance staff approve the text.</p>`
        : verdict === 'block'
          ? html`<p role="status"><strong>Blocked:</strong> this text cannot be sent.</p>`
          : html`<button type="button" onClick=${() => void start.run()} disabled=${start.busy} aria-busy=${start.busy ? 'true' : undefined}>
              Start sending
            </button>`
    }
    <${ProblemMessage} error=${start.error} />
    <p><${Link} to=${`/tenant/campaigns/${campaign.id}`}>Open the campaign<//></p>
  </article>`;
}
