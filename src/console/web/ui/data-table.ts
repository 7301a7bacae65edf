import type { ComponentChildren, VNode } from 'preact';
import { html } from 'htm/preact';

export interface Column<Row> {
  header: string;
  cell: (row: Row) => ComponentChildren;
  /** Right-aligned (counts, amounts). */
  numeric?: boolean;
}

export interface DataTableProps<Row> {
  /** Read out before the table; also names the scrollable region. */
  caption: string;
  columns: Column<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  /** Shown instead of an empty table. */
  empty?: string;
}

/**
 * A captioned table whose wrapper scrolls sideways at phone width; the wrapper is focusable so
 * keyboard users can scroll it too.
 */
export function DataTable<Row>({ caption, columns, rows, rowKey, empty = 'Nothing to show.' }: DataTableProps<Row>): VNode {
  if (rows.length === 0) return html`<p class="empty">${empty}</p>`;
  return html`<div class="overflow-auto table-scroll" tabindex="0" role="region" aria-label=${caption}>
    <table class="striped">
      <caption>
        ${caption}
      </caption>
      <thead>
        <tr>
          ${columns.map((c) => html`<th scope="col" class=${c.numeric ? 'numeric' : undefined}>${c.header}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          (row) =>
            html`<tr key=${rowKey(row)}>
              ${columns.map((c) => html`<td class=${c.numeric ? 'numeric' : undefined}>${c.cell(row)}</td>`)}
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}
