import { estimateCampaignCost, estimateSegments } from '../../../src/domain/segments';

describe('segments and cost', () => {
  it.each([
    ['a'.repeat(160), 'GSM-7', 1],
    ['a'.repeat(161), 'GSM-7', 2],
    ['a'.repeat(306), 'GSM-7', 2],
    ['a'.repeat(307), 'GSM-7', 3],
    ['é'.repeat(160), 'GSM-7', 1],
    ['€'.repeat(80), 'GSM-7', 1],
    ['€'.repeat(81), 'GSM-7', 2],
    ['😀'.repeat(35), 'UCS-2', 1],
    [`${'a'.repeat(69)}ł`, 'UCS-2', 1],
    [`${'a'.repeat(70)}ł`, 'UCS-2', 2],
  ])('%#: %s characters is %s in %i segment(s)', (body, encoding, segments) => {
    expect(estimateSegments(body)).toMatchObject({ encoding, segments });
  });

  it('names the characters that forced UCS-2', () => {
    expect(estimateSegments('Caf\u00e9 ł and ł').unicodeCharacters).toEqual(['ł']);
    expect(estimateSegments('plain').unicodeCharacters).toEqual([]);
  });

  it.each([
    [1, 1000, 0.0083, 8.3],
    [2, 1000, 0.0083, 16.6],
    [3, 333, 0.0079, 7.89],
    [1, 0, 0.0083, 0],
  ])('%i segment(s) × %i recipients at $%d = $%d', (segmentsPerMessage, recipients, pricePerSegmentUsd, cost) => {
    expect(estimateCampaignCost({ segmentsPerMessage, recipients, pricePerSegmentUsd })).toBe(cost);
  });
});
