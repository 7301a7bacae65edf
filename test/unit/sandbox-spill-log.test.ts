import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SpillLog } from '../../src/sandbox/spill-log';

const dir = mkdtempSync(path.join(tmpdir(), 'spill-log-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sandbox SpillLog', () => {
  it('holds at most its tail on the heap as records grow, and scans every record in order', () => {
    const log = new SpillLog<{ n: number; body: string }>(path.join(dir, 'a'), 100);
    for (let n = 0; n < 5_000; n++) {
      log.push({ n, body: `ünïcode ${'x'.repeat(n % 300)}` });
      expect(log.inMemory).toBeLessThan(100);
    }
    expect(log.count).toBe(5_000);
    const all = [...log.scan()];
    expect(all.map((r) => r.n)).toEqual(Array.from({ length: 5_000 }, (_, n) => n));
    expect(all[4_321].body).toBe(`ünïcode ${'x'.repeat(4_321 % 300)}`);
    log.clear();
    expect(log.count).toBe(0);
    expect([...log.scan()]).toEqual([]);
    log.push({ n: 1, body: '' });
    expect([...log.scan()]).toEqual([{ n: 1, body: '' }]);
    log.close();
  });

  it('scans in chunks: records that cross a 1 MiB read boundary come back whole', () => {
    const log = new SpillLog<{ s: string }>(path.join(dir, 'b'), 10);
    const big = 'é'.repeat(70_000); // two bytes each: about 140 kB a record
    for (let i = 0; i < 40; i++) log.push({ s: `${i}${big}` });
    const all = [...log.scan()];
    expect(all).toHaveLength(40);
    all.forEach((r, i) => expect(r.s).toBe(`${i}${big}`));
    log.close();
  });
});
