/**
 * Text PostgreSQL cannot keep as it was sent. `text` columns refuse U+0000 (NUL) outright, and
 * `jsonb` refuses it and unpaired UTF-16 surrogates (which `text` would quietly turn into
 * U+FFFD). JSON (`"\u0000"`, `"\ud800"`), forms and query strings (`%00`) carry both easily;
 * found before anything is written, they are a 400 naming the field instead of a 500.
 */
export type UnstorableReason = 'nul' | 'unpaired_surrogate';

export interface UnstorableText {
  /** Where in the value: object keys and array indexes, outermost first; empty for the value itself. */
  path: Array<string | number>;
  reason: UnstorableReason;
  /** Offset of the first offending UTF-16 code unit in that string. */
  offset: number;
}

const NUL = '\u0000';
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string cannot be stored, and where the first offending character is; undefined when it can. */
export function unstorableIn(text: string): { reason: UnstorableReason; offset: number } | undefined {
  const nul = text.indexOf(NUL);
  if (nul >= 0) return { reason: 'nul', offset: nul };
  const surrogate = UNPAIRED_SURROGATE.exec(text);
  if (surrogate) return { reason: 'unpaired_surrogate', offset: surrogate.index };
  return undefined;
}

/** How many findings a walk reports at most: enough to fix a request, bounded for a hostile one. */
export const MAX_FINDINGS = 20;

interface Node {
  value: unknown;
  key?: string | number;
  parent?: Node;
}

function pathOf(node: Node): Array<string | number> {
  const path: Array<string | number> = [];
  for (let n: Node | undefined = node; n?.key !== undefined; n = n.parent) path.push(n.key);
  return path.reverse();
}

/**
 * Strings in a parsed request value (JSON, form, query, CSV text), object keys included, that
 * cannot be stored, in document order, at most `limit`. Walked with an explicit stack of nodes
 * that point to their parent, so neither recursion nor path copies grow with depth: a 1 MB JSON
 * body can nest deeper than the call stack.
 */
export function findUnstorableText(value: unknown, limit = MAX_FINDINGS): UnstorableText[] {
  const found: UnstorableText[] = [];
  const stack: Node[] = [{ value }];
  for (let node = stack.pop(); node && found.length < limit; node = stack.pop()) {
    const v = node.value;
    if (typeof v === 'string') {
      const problem = unstorableIn(v);
      if (problem) found.push({ path: pathOf(node), ...problem });
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    const entries: Array<[string | number, unknown]> = Array.isArray(v) ? v.map((item, i) => [i, item]) : Object.entries(v);
    // Pushed last to first, so the first child is taken next.
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, item] = entries[i];
      stack.push({ value: item, key, parent: node });
      // A key is stored too (jsonb): checked as a string at its own path, before its value.
      if (typeof key === 'string' && unstorableIn(key)) stack.push({ value: key, key, parent: node });
    }
  }
  return found;
}
