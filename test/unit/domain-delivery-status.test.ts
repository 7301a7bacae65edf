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
  ] as const)('%s → %s: %s', (current, next, moves) => {
    expect(statusMovesForward(current, next)).toBe(moves);
  });
});
