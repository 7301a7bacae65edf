import {
  carriesOptOutLanguage,
  namesBrand,
  needsOptOutFooter,
  optOutFooterCutoff,
  shapeOutgoingBody,
  type MessageType,
} from '../../../src/domain/message-shaping';
import { estimateSegments } from '../../../src/domain/segments';

const BRAND = 'Bright Smiles Dental LLC';

describe('message shaping', () => {
  it.each([
    // body, footer asked, sent as, brand prefixed, footer added
    ['Your checkup is due.', true, 'Bright Smiles Dental LLC: Your checkup is due.\nReply STOP to opt out.', true, true],
    ['Your checkup is due.', false, 'Bright Smiles Dental LLC: Your checkup is due.', true, false],
    ['Bright Smiles Dental: your checkup is due.', true, 'Bright Smiles Dental: your checkup is due.\nReply STOP to opt out.', false, true],
    ['BRIGHT SMILES: your checkup is due.', true, 'BRIGHT SMILES: your checkup is due.\nReply STOP to opt out.', false, true],
    // Opt-out language of its own: never doubled, whatever its wording.
    ['Bright Smiles Dental: checkup due. Reply STOP to opt out.', true, 'Bright Smiles Dental: checkup due. Reply STOP to opt out.', false, false],
    ['Bright Smiles Dental: checkup due. Text END to cancel.', true, 'Bright Smiles Dental: checkup due. Text END to cancel.', false, false],
    ['Checkup due. Reply STOP to opt out.', true, 'Bright Smiles Dental LLC: Checkup due. Reply STOP to opt out.', true, false],
    // Stray whitespace at either end is not carried into the joins.
    ['  Checkup due.  \n', true, 'Bright Smiles Dental LLC: Checkup due.\nReply STOP to opt out.', true, true],
  ])('%j (footer asked: %s) is sent as %j', (body, withOptOutFooter, sent, brandPrefixed, optOutFooterAdded) => {
    expect(shapeOutgoingBody(body, { brandName: BRAND, withOptOutFooter })).toEqual({ body: sent, brandPrefixed, optOutFooterAdded });
  });

  it('keeps a GSM-7 body in GSM-7: the footer line adds its characters and nothing else', () => {
    const body = 'Bright Smiles Dental: your checkup is due.';
    const shaped = shapeOutgoingBody(body, { brandName: BRAND, withOptOutFooter: true }).body;
    expect(estimateSegments(shaped)).toMatchObject({ encoding: 'GSM-7', characters: body.length + 1 + 'Reply STOP to opt out.'.length });
  });

  it('counts the segments the footer adds when it crosses a boundary', () => {
    const body = `Bright Smiles Dental: ${'a'.repeat(130)}`; // 152 characters: one segment
    expect(estimateSegments(body).segments).toBe(1);
    expect(estimateSegments(shapeOutgoingBody(body, { brandName: BRAND, withOptOutFooter: true }).body).segments).toBe(2);
  });

  it.each([
    ['Bright Smiles Dental LLC', 'Bright Smiles Dental: hi', true],
    ['Bright Smiles Dental LLC', 'BRIGHT SMILES: hi', true],
    ['Bright Smiles Dental LLC', 'Bright-Smiles Dental: hi', true],
    ['Acme', 'ACME: hi', true],
    ['Acme', 'Your order shipped', false],
    ['Bright Smiles Dental', 'Dental reminder: hi', false],
    ['The Company LLC', 'anything', true], // nothing distinctive to name
  ])('brand %j named in %j: %s', (brand, body, named) => {
    expect(namesBrand(body, brand)).toBe(named);
  });

  it.each([
    ['Reply STOP to opt out.', true],
    ['Txt STOP to end', true],
    ['Stop to unsubscribe', true],
    ['Opt-out: reply STOP', true],
    ['Unsubscribe: https://x.example/u', true],
    ['Please stop by our office', false],
    ['Your order shipped.', false],
  ])('%j carries opt-out language: %s', (body, carries) => {
    expect(carriesOptOutLanguage(body)).toBe(carries);
  });
});

describe('who gets the opt-out footer', () => {
  const now = new Date('2026-12-02T12:00:00Z');
  const DAY = 86_400_000;
  const INTERVAL = 30 * DAY;
  const ago = (ms: number) => new Date(now.getTime() - ms);

  it.each<[MessageType, Date | null, boolean]>([
    // A first message always: no notice means the contact never had a message from the tenant.
    ['marketing', null, true],
    ['transactional', null, true],
    ['conversational', null, true],
    // Marketing: again once the last notice is as old as the interval.
    ['marketing', ago(1000), false],
    ['marketing', ago(29 * DAY), false],
    ['marketing', ago(INTERVAL - 1), false],
    ['marketing', ago(INTERVAL), true],
    ['marketing', ago(90 * DAY), true],
    // Transactional and conversational: only the first message, however long ago the notice.
    ['transactional', ago(90 * DAY), false],
    ['conversational', ago(90 * DAY), false],
    ['transactional', ago(1000), false],
  ])('%s, last notice %p: %s', (messageType, lastNoticeAt, footer) => {
    expect(needsOptOutFooter({ messageType, lastNoticeAt, now, intervalMs: INTERVAL })).toBe(footer);
  });

  it('gives the database the same cut-off the per-contact rule uses', () => {
    expect(optOutFooterCutoff({ messageType: 'marketing', now, intervalMs: INTERVAL })).toEqual(ago(INTERVAL));
    expect(optOutFooterCutoff({ messageType: 'transactional', now, intervalMs: INTERVAL })).toBeNull();
    expect(optOutFooterCutoff({ messageType: 'conversational', now, intervalMs: INTERVAL })).toBeNull();
  });
});
