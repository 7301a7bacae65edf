import { statusMovesForward } from '../../src/domain/delivery-status';

describe('delivery status only moves forward', () => {
  it.each([
    [undefined, 'queued', true],
    [undefined, 'delivered', true],
    ['queued', 'sent', true],
    ['sent', 'delivered', true],
    ['sent', 'undelivered', true],
    ['sending', 'failed', true],
    ['delivered', 'read', true],
    ['delivered', 'sent', false],
    ['sent', 'queued', false],
    ['sent', 'sent', false],
    ['delivered', 'undelivered', false],
    ['undelivered', 'delivered', false],
    ['failed', 'delivered', false],
    ['queued', 'exploded', false],
    // clearsend's unknown (Twilio refused to tell, e.g. 20404) settles a message not yet final;
    // a final status Twilio reports later still replaces it, nothing earlier does.
    [undefined, 'unknown', true],
    ['sent', 'unknown', true],
    ['queued', 'unknown', true],
    ['unknown', 'delivered', true],
    ['unknown', 'failed', true],
    ['unknown', 'sent', false],
    ['unknown', 'unknown', false],
    ['delivered', 'unknown', false],
    ['undelivered', 'unknown', false],
  ] as const)('%s → %s: %s', (current, next, moves) => {
    expect(statusMovesForward(current, next)).toBe(moves);
  });
});
