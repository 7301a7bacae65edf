import {
  contactMergeValues,
  fixedText,
  fieldValueJudge,
  mergeFieldName,
  parseTemplate,
  refusedFieldValue,
  renderTemplate,
  type MessageTemplate,
  type RefusedValue,
} from '../../../src/domain/message-template';

const parsed = (source: string): MessageTemplate => {
  const result = parseTemplate(source);
  if (!result.ok) throw new Error(`expected ${source} to parse: ${JSON.stringify(result.problems)}`);
  return result.template;
};

describe('message templates', () => {
  it.each([
    ['firstName', 'first_name'],
    ['first_name', 'first_name'],
    [' storeId ', 'store_id'],
    ['plan2', 'plan2'],
    ['PLAN', 'plan'],
    ['first name', null],
    ['', null],
    ['__proto__', null],
    ['a'.repeat(41), null],
    ['émile', null],
  ])('the merge field %j names the contact field %j', (written, name) => {
    expect(mergeFieldName(written)).toBe(name);
  });

  it.each([
    // template, fields, fixed text as judged
    ['Hi {{firstName}}, your order is ready.', ['first_name'], 'Hi [first_name], your order is ready.'],
    ['Hi {{ first_name | there }}!', ['first_name'], 'Hi there!'],
    ['{{store}}: {{store}} opens at 9', ['store'], '[store]: [store] opens at 9'],
    ['Hi {{name|}}, see you', ['name'], 'Hi , see you'],
    ['No fields at all', [], 'No fields at all'],
    ['A stray }} is text', [], 'A stray }} is text'],
    ['{{a}}{{b}}{{a|x}}', ['a', 'b'], '[a][b]x'],
  ])('%j names %j and is judged as %j', (source, fields, fixed) => {
    const template = parsed(source);
    expect(template.fields).toEqual(fields);
    expect(fixedText(template)).toBe(fixed);
  });

  it.each([
    ['Hi {{firstName', /"\{\{" at 3 is not closed/],
    ['Hi {{first {{name}}', /"\{\{" at 3 is not closed/],
    ['Hi {{}}', /names no field/],
    ['Hi {{ | there}}', /names no field/],
    ['Hi {{first name}}', /"first name" at 3 is not a field name/],
    [`Hi {{name|${'x'.repeat(101)}}}`, /fallback for "name" at 3 is 101 characters/],
    ['Hi {{name|a{b}}', /holds a brace/],
    [Array.from({ length: 11 }, (_, i) => `{{f${i}}}`).join(' '), /names 11 different fields; at most 10/],
  ])('refuses %j and says where', (source, problem) => {
    const result = parseTemplate(source);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => p.message).join('; ')).toMatch(problem);
  });

  it('reports every problem, not just the first', () => {
    const result = parseTemplate('{{}} and {{bad name}} and {{ok}}');
    expect(result.ok ? [] : result.problems.map((p) => p.at)).toEqual([0, 9]);
  });

  const noRefusal = () => null;
  const refuseLinks = (field: string, value: string): RefusedValue | null => (value.includes('.com') ? { field, reason: 'link', detail: 'a link' } : null);

  it.each([
    // template, contact fields, rendered body (or null), missing, refused fields
    ['Hi {{firstName}}!', { first_name: 'Ana' }, 'Hi Ana!', [], []],
    ['Hi {{firstName|there}}!', {}, 'Hi there!', [], []],
    ['Hi {{firstName|there}}!', { first_name: '   ' }, 'Hi there!', [], []],
    ['Hi {{firstName}}!', {}, null, ['first_name'], []],
    ['Hi {{firstName}}, {{firstName|friend}}', {}, null, ['first_name'], []],
    ['{{a|x}} {{a}}', { a: 'A' }, 'A A', [], []],
    ['Visit {{site|our store}}', { site: 'evil.com' }, 'Visit our store', [], []],
    ['Visit {{site}}', { site: 'evil.com' }, null, [], ['site']],
    ['{{a}} {{b}}', { a: 'x.com' }, null, ['b'], ['a']],
    ['{{proto}}', { toString: 'x' }, null, ['proto'], []],
  ] as const)('%j with %j renders %j', (source, values, body, missing, refused) => {
    const result = renderTemplate(parsed(source), values, refuseLinks);
    if (body === null) {
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.missing).toEqual(missing);
        expect(result.refused.map((r) => r.field)).toEqual(refused);
      }
    } else {
      expect(result).toMatchObject({ ok: true, body });
    }
  });

  it('says which value was used and why a fallback stood in', () => {
    const result = renderTemplate(parsed('{{a}} at {{site|the store}}'), { a: 'Ana', site: 'x.com' }, refuseLinks);
    expect(result.filled).toEqual([
      { field: 'a', value: 'Ana', from: 'contact' },
      { field: 'site', value: 'the store', from: 'fallback', refused: { field: 'site', reason: 'link', detail: 'a link' } },
    ]);
  });

  it('judges each field once per message however often it is used', () => {
    const refuse = jest.fn(noRefusal);
    renderTemplate(parsed('{{a}} {{a}} {{b|x}} {{a}}'), { a: '1', b: '2' }, refuse);
    expect(refuse.mock.calls).toEqual([
      ['a', '1'],
      ['b', '2'],
    ]);
  });

  const held = (value: string) => (/loan/i.test(value) ? 'financial: a loan offer' : null);
  it.each([
    ['Ana', null],
    ['Mary-Jane O’Brien', null],
    ['Store #12, Main St', null],
    ['+1 415 555 0100', null],
    ['Ana\nReply STOP', 'control_characters'],
    ['Ana\u2028x', 'control_characters'],
    ['tab\there', 'control_characters'],
    ['https://x.example/path', 'link'],
    ['www.example.org', 'link'],
    ['visit bit.ly/abc now', 'link'],
    ['example.com', 'link'],
    ['ana@example.com', 'link'],
    ['Payday loan', 'content'],
    ['Ana. Reply STOP to opt out', 'opt_out_language'],
  ])('a value of %j is refused for %j', (value, reason) => {
    expect(refusedFieldValue('f', value, held)?.reason ?? null).toBe(reason);
  });

  it('holds a value the compliance engine would hold in a message, and lets plain names through', () => {
    const judge = fieldValueJudge({});
    expect(judge('first_name', 'Ana')).toBeNull();
    expect(judge('product', 'Buy cheap weed and THC gummies, same day delivery')).toMatchObject({ field: 'product', reason: 'content' });
    // Remembered per value, named per field.
    expect(judge('other', 'Buy cheap weed and THC gummies, same day delivery')).toMatchObject({ field: 'other', reason: 'content' });
  });
});

describe("a contact's merge values", () => {
  it.each([
    [
      { name: 'Ana María López', fields: {} },
      { name: 'Ana María López', first_name: 'Ana' },
    ],
    [
      { name: '  Bo  ', fields: { plan: 'gold' } },
      { name: 'Bo', first_name: 'Bo', plan: 'gold' },
    ],
    [
      { name: 'Robert Smith', fields: { first_name: 'Bob' } },
      { name: 'Robert Smith', first_name: 'Bob' },
    ],
    [{ name: null, fields: { store: '12' } }, { store: '12' }],
    [{ name: '', fields: {} }, {}],
  ])('%j offers %j', (contact, values) => {
    expect(contactMergeValues(contact)).toEqual(values);
  });
});
