import type { VNode } from 'preact';
import { html } from 'htm/preact';
import { ApiError, apiSendText } from '../api';
import { ProblemMessage, useAction } from '../ui';
import type { ContactsStored } from './contacts-types';

/** What the API says about each bad row of a CSV (`errors: [{ row, problems }]`, row 1 being the header). */
type RowProblems = { row: number; problems: string[] };

const rowProblemsOf = (error: unknown): RowProblems[] =>
  error instanceof ApiError && Array.isArray(error.problem.errors) ? (error.problem.errors as RowProblems[]).filter((e) => typeof e.row === 'number') : [];

/**
 * Imports a CSV file (read in the browser, sent as text/csv to POST /v1/contacts). The API takes
 * all rows or none: one bad row stores nothing, and each bad row's problems are listed by its
 * line number in the file.
 */
export function ImportContactsForm({ onImported }: { onImported: () => void }): VNode {
  const upload = useAction(async (file: File) => {
    const stored = await apiSendText<ContactsStored>('POST', '/v1/contacts', await file.text(), 'text/csv');
    onImported();
    return stored;
  });
  const onSubmit = (e: SubmitEvent) => {
    e.preventDefault();
    const file = (e.currentTarget as HTMLFormElement).querySelector<HTMLInputElement>('input[type=file]')?.files?.[0];
    if (file) void upload.run(file);
  };
  const rows = rowProblemsOf(upload.error);
  return html`<form onSubmit=${onSubmit} aria-labelledby="import-heading">
    <h2 id="import-heading">Import a CSV</h2>
    <label for="import-file">CSV file</label>
    <input id="import-file" name="file" type="file" accept=".csv,text/csv" required aria-describedby="import-help" />
    <small id="import-help">
      Columns: <code>phone</code>, <code>assigned_user</code>; optional <code>name</code>, <code>tags</code> (separated by <code>;</code>),${' '}
      <code>consent_method</code>, <code>consent_at</code>, <code>consent_source</code>, <code>consent_wording</code>, <code>consent_purposes</code> (separated
      by <code>;</code>), and <code>${'field:<name>'}</code> for custom fields. A row with a bad value stops the whole file: fix it and import again.
    </small>
    <button type="submit" disabled=${upload.busy} aria-busy=${upload.busy ? 'true' : undefined}>Import</button>
    <div role="status" aria-live="polite">${upload.result && !upload.error ? html`<p>${importedMessage(upload.result)}</p>` : null}</div>
    <${ProblemMessage} error=${upload.error} />
    ${
      rows.length
        ? html`<table aria-label="Rows the import refused">
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col">Problems</th>
              </tr>
            </thead>
            <tbody>
              ${rows.map(
                (r) =>
                  html`<tr key=${r.row}>
                    <th scope="row">Line ${r.row}</th>
                    <td>${r.problems.join('; ')}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
        : null
    }
  </form>`;
}

const importedMessage = (r: ContactsStored): string =>
  `Imported ${r.received} rows: ${r.created} new, ${r.updated} updated.${r.erasedNote ? ` ${r.erasedNote}` : ''}`;
