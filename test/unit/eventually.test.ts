import { eventually, StopWaiting } from '../support/eventually';

/** The one polling helper the tests wait with: its answer, and what a time-out says. */
describe('eventually', () => {
  const failure = async (wait: Promise<unknown>): Promise<Error> => {
    try {
      await wait;
    } catch (err) {
      return err as Error;
    }
    throw new Error('expected the wait to fail');
  };

  it('returns the first truthy answer, asking again after falsy answers and errors', async () => {
    const answers: Array<() => unknown> = [
      () => undefined,
      () => false,
      () => {
        throw new Error('not yet');
      },
      () => 0,
      () => ({ step: 'active' }),
    ];
    let asked = 0;
    await expect(eventually(() => answers[asked++](), { timeoutMs: 5_000, intervalMs: 1 })).resolves.toEqual({ step: 'active' });
    expect(asked).toBe(5);
  });

  it('takes the time-out and interval as plain numbers too', async () => {
    let asked = 0;
    await expect(eventually(async () => ++asked >= 3 && 'done', 5_000, 1)).resolves.toBe('done');
  });

  it('on a time-out says what it waited for, how often it asked, the last answer, the last error and where things stood', async () => {
    let asked = 0;
    const err = await failure(
      eventually(
        async () => {
          asked += 1;
          if (asked % 2) throw new Error(`the server said no (${asked})`);
          return false;
        },
        { timeoutMs: 30, intervalMs: 1, describe: 'campaign 42 to complete', detail: () => ({ status: 'relaying', sent: 3 }) },
      ),
    );
    expect(err.message).toMatch(/^timed out after 30 ms \(\d+ checks\) waiting for campaign 42 to complete\n/);
    expect(err.message).toContain('last answer: false');
    expect(err.message).toMatch(/last error: Error: the server said no \(\d+\)/);
    expect(err.message).toContain("where things stood: { status: 'relaying', sent: 3 }");
    expect(err.cause).toBeInstanceOf(Error);
  });

  it('without a description, names the check by its source', async () => {
    const ledger = { count: 1 };
    const err = await failure(eventually(() => ledger.count >= 35, { timeoutMs: 10, intervalMs: 1 }));
    expect(err.message).toMatch(/waiting for \(\)\s*=>\s*ledger\.count >= 35\n/);
    expect(err.message).toContain('last answer: false');
    expect(err.message).not.toContain('last error');
  });

  it('stops at once when the check throws StopWaiting', async () => {
    let asked = 0;
    const err = await failure(
      eventually(() => {
        asked += 1;
        throw new StopWaiting('npm start exited (1)');
      }, 60_000),
    );
    expect(err).toBeInstanceOf(StopWaiting);
    expect(err.message).toBe('npm start exited (1)');
    expect(asked).toBe(1);
  });

  it('does not wait for a check that never answers past the time-out', async () => {
    const err = await failure(eventually(() => new Promise<never>(() => undefined), { timeoutMs: 20, describe: 'a hung query' }));
    expect(err.message).toMatch(/waiting for a hung query\n {2}last error: Error: the check itself did not answer within \d+ ms/);
  });
});
