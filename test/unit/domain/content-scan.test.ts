import { namesBrand, scanMessage } from '../../../src/domain/content-scan';
import { CORPUS } from './content-scan.corpus';

const RULE_CODE = /^(prohibited|age_gated|url)\./;

describe('content scan', () => {
  it.each(CORPUS.map((m) => [m.body, m]))('%s', (_body, m) => {
    const result = scanMessage(m.body, { brandName: m.brand });
    expect(result.findings.map((f) => f.code).filter((c) => RULE_CODE.test(c))).toEqual(m.codes);
    expect(result.blocked).toBe(m.blocked);
  });

  it('reaches its precision and recall on the labelled corpus', () => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const m of CORPUS) {
      const predicted = scanMessage(m.body, { brandName: m.brand }).blocked;
      if (predicted && m.blocked) tp++;
      else if (predicted) fp++;
      else if (m.blocked) fn++;
    }
    const precision = tp / (tp + fp);
    const recall = tp / (tp + fn);
    const perCategory = [...new Set(CORPUS.flatMap((m) => m.codes))].sort().map((code) => {
      const found = CORPUS.map((m) => ({ expected: m.codes.includes(code), got: scanMessage(m.body, { brandName: m.brand }).findings.some((f) => f.code === code) }));
      const hit = found.filter((f) => f.expected && f.got).length;
      const p = hit / Math.max(found.filter((f) => f.got).length, 1);
      const r = hit / Math.max(found.filter((f) => f.expected).length, 1);
      return `  ${code.padEnd(34)} precision ${p.toFixed(3)}  recall ${r.toFixed(3)}  (${found.filter((f) => f.expected).length} labelled)`;
    });
    console.log(`content scan on ${CORPUS.length} labelled messages (${CORPUS.filter((m) => m.blocked).length} to block): blocked precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}\n${perCategory.join('\n')}`);
    expect(CORPUS.length).toBeGreaterThanOrEqual(100);
    expect(precision).toBeGreaterThanOrEqual(0.95);
    expect(recall).toBeGreaterThanOrEqual(0.95);
  });

  it('points each finding at the offending text with a fix', () => {
    const body = 'QuickCash: Payday loans today! Reply STOP to opt out.';
    const [finding] = scanMessage(body, { brandName: 'QuickCash' }).findings;
    expect(finding).toMatchObject({ code: 'prohibited.high_risk_financial', severity: 'block', span: { start: 11, end: 23, text: 'Payday loans' } });
    expect(finding.suggestedFix).toBeTruthy();
    expect(finding.reason).toMatch(/high-risk financial/);
  });

  it.each([
    ['Reply STOP to opt out', true],
    ['Text END to unsubscribe', true],
    ['STOP to opt out', true],
    ['Txt STOP 2 end', true],
    ['Opt-out: reply STOP', true],
    ['stop by our store', false],
    ['we will never stop caring', false],
  ])('opt-out language in %j: %s', (tail, present) => {
    const codes = scanMessage(`Acme: hello. ${tail}`, { brandName: 'Acme' }).findings.map((f) => f.code);
    expect(codes.includes('missing.opt_out')).toBe(!present);
  });

  it('asks for HELP language only when required', () => {
    const body = 'Acme: hi. Reply STOP to opt out.';
    expect(scanMessage(body, { brandName: 'Acme' }).findings).toEqual([]);
    expect(scanMessage(body, { brandName: 'Acme', requireHelpLanguage: true }).findings.map((f) => f.code)).toEqual(['missing.help']);
    expect(scanMessage(`${body} Reply HELP for help.`, { brandName: 'Acme', requireHelpLanguage: true }).findings).toEqual([]);
  });

  it.each([
    ['Bright Smiles Dental LLC', 'Bright Smiles Dental: hi', true],
    ['Bright Smiles Dental LLC', 'BRIGHT SMILES: hi', true],
    ['Bright Smiles Dental LLC', 'Bright-Smiles Dental: hi', true],
    ['Acme', 'ACME: hi', true],
    ['Acme', 'Your order shipped', false],
    ['Bright Smiles Dental', 'Dental reminder: hi', false],
  ])('brand %j named in %j: %s', (brand, body, named) => {
    expect(namesBrand(body, brand)).toBe(named);
  });

  it('blocks a body over 1600 characters, pointing at the excess', () => {
    const body = `Acme: ${'a'.repeat(1600)} Reply STOP to opt out.`;
    const finding = scanMessage(body, { brandName: 'Acme' }).findings.find((f) => f.code === 'body.too_long');
    expect(finding?.span?.start).toBe(1600);
    expect(scanMessage('Acme: ok. Reply STOP to opt out.', { brandName: 'Acme' }).blocked).toBe(false);
  });

  it('estimates segments and encoding', () => {
    expect(scanMessage('Acme: hi 😀 Reply STOP to opt out.', { brandName: 'Acme' }).segments).toMatchObject({ encoding: 'UCS-2', segments: 1, unicodeCharacters: ['😀'] });
  });
});
