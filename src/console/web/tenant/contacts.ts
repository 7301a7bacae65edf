import type { VNode } from 'preact';
import { useState } from 'preact/hooks';
import { html } from 'htm/preact';
import { Link } from '../routing';
import { DataTable, Loading, ProblemMessage, useApiGet, formFields } from '../ui';
import { AddContactForm } from './contacts-add';
import { consentSummary } from './contacts-consent-summary';
import { ImportContactsForm } from './contacts-import';
import type { ContactView, ContactsPage as ContactsAnswer } from './contacts-types';
import { NotForYourRole, tenantMay } from './role';

const PAGE = 50;

/**
 * The tenant's contacts (GET /v1/contacts, a page at a time in the API's order, optionally those
 * with one tag; a user restricted to their assigned contacts gets only theirs from the API), and
 * the forms that add them: one contact with its consent, or a CSV file.
 */
export function ContactsPage(): VNode {
  if (!tenantMay('contacts.read')) return html`<${NotForYourRole} why="Contacts are personal data; your role reads reports only." />`;
  return html`<${Contacts} />`;
}

function Contacts(): VNode {
  const [tag, setTag] = useState('');
  // The API pages by cursor: `pages` holds the cursors of the pages before this one, for "Previous".
  const [cursor, setCursor] = useState<string | null>(null);
  const [pages, setPages] = useState<Array<string | null>>([]);
  const query = new URLSearchParams({ limit: String(PAGE), ...(tag ? { tag } : {}), ...(cursor ? { after: cursor } : {}) });
  const list = useApiGet<ContactsAnswer>(`/v1/contacts?${query.toString()}`);
  const filter = (e: SubmitEvent) => {
    setTag(formFields(e).tag.trim());
    setCursor(null);
    setPages([]);
  };
  const nextCursor = list.data?.next ? new URL(list.data.next, window.location.origin).searchParams.get('after') : null;
  const reloadFirst = () => {
    setCursor(null);
    setPages([]);
    void list.reload();
  };
  return html`
    <search>
      <form class="contacts-filter" aria-label="Filter contacts by tag" onSubmit=${filter}>
        <label for="contacts-tag">Tag</label>
        <fieldset role="group">
          <input id="contacts-tag" name="tag" type="search" maxlength="64" />
          <button type="submit" class="secondary">Show</button>
        </fieldset>
      </form>
    </search>
    <div role="status" aria-live="polite">
      ${list.data ? html`<p>${list.data.contacts.length} ${list.data.contacts.length === 1 ? 'contact' : 'contacts'} on this page${tag ? ` tagged “${tag}”` : ''}.</p>` : null}
    </div>
    ${
      list.data
        ? html`<${DataTable}
            caption=${tag ? `Contacts tagged ${tag}` : 'Your contacts'}
            columns=${COLUMNS}
            rows=${list.data.contacts}
            rowKey=${(c: ContactView) => c.id}
            empty=${tag ? 'No contacts with this tag.' : 'No contacts yet. Add one or import a CSV below.'}
          />`
        : list.error
          ? html`<${ProblemMessage} error=${list.error} />`
          : html`<${Loading} label="Loading contacts…" />`
    }
    <div class="pager">
      ${
        pages.length
          ? html`<button
              type="button"
              class="secondary outline"
              onClick=${() => {
                setCursor(pages[pages.length - 1]);
                setPages(pages.slice(0, -1));
              }}
            >
              Previous page
            </button>`
          : null
      }
      ${
        nextCursor
          ? html`<button
              type="button"
              class="secondary outline"
              onClick=${() => {
                setPages([...pages, cursor]);
                setCursor(nextCursor);
              }}
            >
              Next page
            </button>`
          : null
      }
    </div>
    ${
      tenantMay('contacts.write')
        ? html`<div class="grid contacts-forms">
            <${AddContactForm} onAdded=${reloadFirst} />
            <${ImportContactsForm} onImported=${reloadFirst} />
          </div>`
        : null
    }
  `;
}

const COLUMNS = [
  { header: 'Name', cell: (c: ContactView) => html`<${Link} to=${`/tenant/contacts/${c.id}`}>${c.name ?? c.phone}<//>` },
  { header: 'Number', cell: (c: ContactView) => c.phone },
  { header: 'Tags', cell: (c: ContactView) => c.tags.join(', ') || '—' },
  { header: 'Consent', cell: (c: ContactView) => consentSummary(c.consent.history) },
  { header: 'Assigned to', cell: (c: ContactView) => c.assignedUser },
];
