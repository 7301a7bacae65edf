/**
 * Every text a workflow history holds, for tests that look for what must not be there (message
 * bodies, names): each string, and each payload's bytes decoded as UTF-8 (a fetched history
 * holds them as bytes, a recorded history file as base64 under `data` beside `metadata`).
 */
export function textsOfHistory(history: unknown): string[] {
  const texts: string[] = [];
  const walk = (value: unknown): void => {
    if (value instanceof Uint8Array) texts.push(Buffer.from(value).toString('utf8'));
    else if (typeof value === 'string') texts.push(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      const o = value as Record<string, unknown>;
      if (typeof o.data === 'string' && o.metadata) texts.push(Buffer.from(o.data, 'base64').toString('utf8'));
      Object.values(o).forEach(walk);
    }
  };
  walk(history);
  return texts;
}
