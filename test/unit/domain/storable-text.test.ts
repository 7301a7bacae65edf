import { findUnstorableText, MAX_FINDINGS, unstorableIn } from '../../../src/domain/storable-text';

describe('text PostgreSQL can store', () => {
  it.each<[string, string, ReturnType<typeof unstorableIn>]>([
    ['plain text', 'Bright Smiles Dental', undefined],
    ['the empty string', '', undefined],
    ['accents, CJK and emoji (a surrogate pair)', 'Café 牙医 🦷', undefined],
    ['a NUL in the middle', 'pay\u0000day', { reason: 'nul', offset: 3 }],
    ['a NUL alone', '\u0000', { reason: 'nul', offset: 0 }],
    ['a NUL after an unpaired surrogate (NUL is named first)', '\uD800x\u0000', { reason: 'nul', offset: 2 }],
    ['a lone high surrogate', 'a\uD800b', { reason: 'unpaired_surrogate', offset: 1 }],
    ['a high surrogate at the end', 'ab\uD83E', { reason: 'unpaired_surrogate', offset: 2 }],
    ['a lone low surrogate', '\uDC00ab', { reason: 'unpaired_surrogate', offset: 0 }],
    ['two high surrogates then a low one', '\uD83E\uD83E\uDDB7', { reason: 'unpaired_surrogate', offset: 0 }],
    ['other control characters (storable)', 'tab\tnew\nline\u0001\u007f', undefined],
    ['U+FFFD itself (storable)', '\uFFFD', undefined],
  ])('%s: %j', (_label, text, expected) => {
    expect(unstorableIn(text)).toEqual(expected);
  });

  it.each<[string, unknown, Array<{ path: Array<string | number>; reason: string }>]>([
    ['a clean JSON body', { contacts: [{ phone: '+14155552671', name: 'Ana', tags: ['vip'] }], n: 3, ok: true, none: null }, []],
    ['a string body (CSV)', 'phone,name\n+14155552671,A\u0000na\n', [{ path: [], reason: 'nul' }]],
    [
      'a nested field',
      {
        contacts: [
          { phone: '+1', name: 'ok' },
          { phone: '+1', name: 'A\u0000' },
        ],
      },
      [{ path: ['contacts', 1, 'name'], reason: 'nul' }],
    ],
    ['an array of strings', { tags: ['ok', '\uD800'] }, [{ path: ['tags', 1], reason: 'unpaired_surrogate' }]],
    ['an object key', { 'na\u0000me': 'x' }, [{ path: ['na\u0000me'], reason: 'nul' }]],
    ['a query with repeated parameters', { tag: ['a', 'b\u0000'], limit: '5' }, [{ path: ['tag', 1], reason: 'nul' }]],
    [
      'several, in document order',
      { a: 'x\u0000', b: { c: ['\uDC00', 'ok'], d: 'y\u0000' }, e: 'ok' },
      [
        { path: ['a'], reason: 'nul' },
        { path: ['b', 'c', 0], reason: 'unpaired_surrogate' },
        { path: ['b', 'd'], reason: 'nul' },
      ],
    ],
    ['numbers, booleans, null and undefined', [1, true, null, undefined], []],
  ])('%s', (_label, value, expected) => {
    expect(findUnstorableText(value).map(({ path, reason }) => ({ path, reason }))).toEqual(expected);
  });

  it('walks a body nested deeper than the call stack', () => {
    let deep: unknown = 'bottom\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const [found] = findUnstorableText(deep);
    expect(found.reason).toBe('nul');
    expect(found.path).toHaveLength(100_000);
  });

  it(`stops at ${MAX_FINDINGS} findings`, () => {
    const found = findUnstorableText(Array.from({ length: 1000 }, () => '\u0000'));
    expect(found).toHaveLength(MAX_FINDINGS);
    expect(found.map((f) => f.path[0])).toEqual(Array.from({ length: MAX_FINDINGS }, (_, i) => i));
  });
});
