import { sendFence } from '../../../src/domain/send-fence';

describe('the send fence around a relay claim', () => {
  it.each([
    // lease, max request timeout → request timeout, margin, send window, page span
    [3_000, 30_000, 750, 1_500, 1_500, 750], // the tests' 3 s heartbeat
    [5_000, 30_000, 1_250, 2_500, 2_500, 1_250],
    [30_000, 30_000, 7_500, 15_000, 15_000, 7_500], // the default heartbeat timeout
    [600_000, 30_000, 30_000, 60_000, 540_000, 270_000], // a long lease: the timeout stays capped
    [30_000, 2_000, 2_000, 4_000, 26_000, 13_000], // a short timeout asked for: the window grows
    [1_001, 30_000, 250, 500, 501, 250.5], // whole milliseconds of timeout
    [3, 30_000, 1, 2, 1, 0.5], // the smallest lease that leaves any time to send
  ])('lease %i ms (timeout at most %i ms): timeout %i, margin %i, window %i, page span %d', (lease, maxTimeout, timeout, margin, window, span) => {
    expect(sendFence(lease, maxTimeout)).toEqual({ leaseMs: lease, requestTimeoutMs: timeout, marginMs: margin, sendWindowMs: window, pageSpanMs: span });
  });

  it.each([1_000, 3_000, 7_777, 30_000, 86_400_000])(
    'lease %i ms: a send started at the end of the window is over, timeout and slack included, before the lease ends',
    (lease) => {
      const f = sendFence(lease, 30_000);
      const lastRequestOver = f.sendWindowMs + f.requestTimeoutMs;
      // At least the timeout again is left as slack for a stall or Twilio acting late.
      expect(lease - lastRequestOver).toBeGreaterThanOrEqual(f.requestTimeoutMs);
      expect(f.sendWindowMs).toBeGreaterThan(0);
      expect(f.pageSpanMs).toBeLessThan(f.sendWindowMs);
    },
  );

  it.each([
    [2, 30_000],
    [0, 30_000],
    [-5, 30_000],
    [Number.NaN, 30_000],
    [3_000, 0],
  ])('refuses lease %d ms with timeout %d ms: no time to send', (lease, maxTimeout) => {
    expect(() => sendFence(lease, maxTimeout)).toThrow(RangeError);
  });
});
