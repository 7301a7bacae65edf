import type { VNode } from 'preact';
import { html } from 'htm/preact';
import type { Finding, JudgedSample } from './types';

interface Piece {
  text: string;
  /** The findings (1-based numbers in the list below) whose span covers this piece. */
  marks: number[];
}

/** The sample cut at every span boundary, each piece knowing which findings cover it (spans may overlap). */
export function piecesOf(body: string, findings: readonly Finding[]): Piece[] {
  const cuts = new Set([0, body.length]);
  for (const f of findings) if (f.span) for (const at of [f.span.start, f.span.end]) cuts.add(Math.min(Math.max(at, 0), body.length));
  const sorted = [...cuts].sort((a, b) => a - b);
  const pieces: Piece[] = [];
  for (let i = 0; i + 1 < sorted.length; i++) {
    const [start, end] = [sorted[i], sorted[i + 1]];
    const marks = findings.flatMap((f, n) => (f.span && f.span.start <= start && f.span.end >= end ? [n + 1] : []));
    pieces.push({ text: body.slice(start, end), marks });
  }
  return pieces;
}

/**
 * One sample message with the compliance engine's findings marked in it (`<mark>`, numbered so
 * a screen reader hears which finding a passage belongs to) and listed below with the verdict,
 * the reason and the suggested fix.
 */
export function HighlightedSample({ sample, index }: { sample: JudgedSample; index: number }): VNode {
  const verdict =
    sample.findings.length === 0
      ? 'no findings'
      : sample.findings.some((f) => f.verdict === 'block')
        ? 'would be blocked'
        : sample.blocked
          ? 'needs a person’s review'
          : 'warnings only';
  return html`<article class="sample">
    <header><strong>Sample ${index + 1}</strong> — ${verdict}</header>
    <blockquote>
      ${piecesOf(sample.body, sample.findings).map((p) =>
        p.marks.length
          ? html`<mark data-verdict=${sample.findings[p.marks[0] - 1].verdict}
              >${p.text}<sup>${p.marks.join(',')}</sup><span class="visually-hidden"> (finding ${p.marks.join(', ')})</span></mark
            >`
          : p.text,
      )}
    </blockquote>
    ${
      sample.findings.length
        ? html`<ol>
            ${sample.findings.map(
              (f) =>
                html`<li>
                  <strong>${f.verdict}</strong>${`: ${f.reason}${f.span ? ` (“${f.span.text}”)` : ''}`}
                  ${f.suggestedFix ? html`<br /><small>${`Fix: ${f.suggestedFix}`}</small>` : null}
                </li>`,
            )}
          </ol>`
        : null
    }
  </article>`;
}
