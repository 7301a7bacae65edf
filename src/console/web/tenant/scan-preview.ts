import type { ComponentChildren, VNode } from 'preact';
import { html } from 'htm/preact';
import { formatUsd } from './format';
import type { Finding, ScanAnswer, Verdict } from './types';

/** The overall verdict of a set of findings, worst first, as the campaign routes decide it. */
export function verdictOf(findings: readonly Finding[]): Verdict | 'clear' {
  if (findings.some((f) => f.verdict === 'block')) return 'block';
  if (findings.some((f) => f.verdict === 'review')) return 'review';
  return findings.length ? 'warn' : 'clear';
}

const VERDICT_WORDS: Record<Verdict | 'clear', { title: string; detail: string }> = {
  block: { title: 'Blocked', detail: 'This message cannot be sent. Change the highlighted text.' },
  review: { title: 'Needs compliance review', detail: 'A campaign with this text waits for compliance staff to approve it before it sends.' },
  warn: { title: 'Allowed, with warnings', detail: 'It can be sent; consider the suggestions below.' },
  clear: { title: 'Ready to send', detail: 'No compliance findings.' },
};

/** The message with each finding's span marked (`<mark>`), the finding's reason in its title. */
export function HighlightedBody({ body, findings }: { body: string; findings: readonly Finding[] }): VNode {
  const spans = findings
    .filter((f): f is Finding & { span: NonNullable<Finding['span']> } => f.span !== null && f.span.end <= body.length)
    .sort((a, b) => a.span.start - b.span.start);
  const parts: ComponentChildren[] = [];
  let at = 0;
  for (const f of spans) {
    if (f.span.start < at) continue; // overlapping spans: the first one is marked
    parts.push(body.slice(at, f.span.start));
    parts.push(
      html`<mark class=${`finding-${f.verdict}`} title=${f.reason}
        >${body.slice(f.span.start, f.span.end)}<span class="visually-hidden"> (${f.verdict}: ${f.category})</span></mark
      >`,
    );
    at = f.span.end;
  }
  parts.push(body.slice(at));
  return html`<p class="message-body">${parts}</p>`;
}

export function FindingList({ findings }: { findings: readonly Finding[] }): VNode | null {
  if (!findings.length) return null;
  return html`<ul class="findings">
    ${findings.map((f, i) => {
      // Built as strings: htm drops whitespace at line breaks, and the formatter moves those.
      const quoted = f.span ? ` (“${f.span.text}”)` : '';
      return html`<li key=${`${f.code}-${i}`}>
        <strong>${f.verdict}</strong>${`: ${f.reason}${quoted}`} ${f.suggestedFix ? html`<br /><small>${`Fix: ${f.suggestedFix}`}</small>` : null} <br /><small
          >${'Source: '}<a href=${f.source.url} target="_blank" rel="noopener noreferrer"
            >${`${f.source.publisher}, ${f.source.title}`}<span class="visually-hidden">${' (opens in a new tab)'}</span></a
          ></small
        >
      </li>`;
    })}
  </ul>`;
}

/**
 * The scan's answer while the tenant writes: verdict (announced politely), findings marked in
 * the text, the body as it will be sent, its segments and the cost estimate.
 */
export function ScanPreview({
  body,
  scan,
  recipients,
  busy,
}: {
  body: string;
  scan: ScanAnswer | undefined;
  recipients: number | undefined;
  busy: boolean;
}): VNode {
  const verdict = scan ? verdictOf(scan.findings) : undefined;
  const words = verdict && VERDICT_WORDS[verdict];
  return html`<section aria-labelledby="preview-heading" aria-busy=${busy ? 'true' : 'false'}>
    <h2 id="preview-heading">Preview</h2>
    <div role="status" aria-live="polite" data-testid="verdict">
      ${words ? html`<p class=${`verdict verdict-${verdict}`}><strong>Verdict: ${words.title}.</strong> ${words.detail}</p>` : html`<p>Write a message to see the compliance verdict.</p>`}
    </div>
    ${
      scan
        ? html`<${HighlightedBody} body=${body} findings=${scan.findings} />
            <${FindingList} findings=${scan.findings} />
            <h3>As it will be sent</h3>
            <blockquote class="message-body">${scan.bodyAsSent}</blockquote>
            <p data-testid="segments">${segmentsLine(scan, recipients)}</p>`
        : null
    }
  </section>`;
}

/** The as-sent message's size and the cost estimate, as one sentence. */
function segmentsLine(scan: ScanAnswer, recipients: number | undefined): string {
  const seg = scan.bodyAsSentSegments;
  const unicode = seg.unicodeCharacters.length ? ` (not GSM-7: ${seg.unicodeCharacters.join(' ')})` : '';
  const size = `${seg.characters} characters, ${seg.encoding}, ${seg.segments} ${seg.segments === 1 ? 'segment' : 'segments'} per message${unicode}.`;
  if (scan.costEstimateUsd === undefined || recipients === undefined) return size;
  return `${size} Estimated cost for ${recipients} ${recipients === 1 ? 'recipient' : 'recipients'}: ${formatUsd(scan.costEstimateUsd)}.`;
}
