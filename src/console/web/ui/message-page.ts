import type { ComponentChildren, VNode } from 'preact';
import { html } from 'htm/preact';

/** A page that only says something (403, not found): a heading and a paragraph. */
export function MessagePage({ title, children }: { title: string; children?: ComponentChildren }): VNode {
  return html`<section class="message-page">
    <h1 tabindex="-1">${title}</h1>
    ${children}
  </section>`;
}
