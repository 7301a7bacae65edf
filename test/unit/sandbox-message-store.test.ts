import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MessageStore } from '../../src/sandbox/message-store';
import type { MessageStatus, SandboxMessage } from '../../src/sandbox/store';

const dir = mkdtempSync(path.join(tmpdir(), 'message-store-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const newStore = (hotLimit: number) => new MessageStore(path.join(dir, `m${files++}`), hotLimit);

function message(sid: string, n: number, status: MessageStatus = 'delivered'): SandboxMessage {
  const at = new Date(Date.UTC(2026, 0, 1, 0, 0, n));
  return {
    sid,
    accountSid: 'AC00000000000000000000000000000001',
    from: '+14155550100',
    to: `+1628200${String(n).padStart(4, '0')}`,
    body: `hello ${n} — café`,
    direction: 'outbound-api',
    status,
    numSegments: 1,
    errorCode: null,
    errorMessage: null,
    validityPeriodS: 14_400,
    dateCreated: at,
    dateUpdated: at,
    dateSent: status === 'queued' ? null : at,
  };
}

describe('sandbox MessageStore', () => {
  it('keeps at most its limit of settled messages on the heap as the count grows, and every message stays fetchable', () => {
    const store = newStore(100);
    const sids: string[] = [];
    for (let n = 0; n < 2_000; n++) {
      const sid = store.mintSid();
      sids.push(sid);
      store.set(sid, message(sid, n));
      expect(store.inMemory).toBeLessThanOrEqual(101);
    }
    expect(store.size).toBe(2_000);
    expect(sids[0]).toMatch(/^SM[0-9a-f]{32}$/);
    const first = store.get(sids[0])!;
    expect(first).toEqual(message(sids[0], 0));
    expect(first.dateCreated).toBeInstanceOf(Date);
    expect(store.get(sids[1_999])).toEqual(message(sids[1_999], 1_999));
    expect([...store.values()].map((m) => m.sid).sort()).toEqual([...sids].sort());
    store.close();
  });

  it('stores a change to a spilled message when it is set again (a redaction), and the change survives a second spill', () => {
    const store = newStore(10);
    const sids = Array.from({ length: 50 }, (_, n) => {
      const sid = store.mintSid();
      store.set(sid, message(sid, n));
      return sid;
    });
    const spilled = store.get(sids[0])!;
    spilled.body = '';
    expect(store.get(sids[0])!.body).not.toBe(''); // a copy: unchanged until set
    store.set(spilled.sid, spilled);
    for (let n = 50; n < 100; n++) {
      const sid = store.mintSid();
      store.set(sid, message(sid, n));
    }
    expect(store.inMemory).toBeLessThanOrEqual(11);
    expect(store.get(sids[0])!.body).toBe('');
    expect(store.size).toBe(100);
    store.close();
  });

  it('keeps messages still moving (not settled) in memory, whatever the limit', () => {
    const store = newStore(10);
    const queued = Array.from({ length: 30 }, (_, n) => {
      const sid = store.mintSid();
      store.set(sid, message(sid, n, 'queued'));
      return sid;
    });
    const held = store.get(queued[0])!;
    held.status = 'sent'; // a timer moves the very object it holds
    expect(store.get(queued[0])!.status).toBe('sent');
    expect(store.inMemory).toBe(30);
    store.close();
  });

  it('answers undefined for unknown, foreign and deleted SIDs, and forgets everything on clear', () => {
    const store = newStore(5);
    const other = newStore(5);
    const sids = Array.from({ length: 20 }, (_, n) => {
      const sid = store.mintSid();
      store.set(sid, message(sid, n));
      return sid;
    });
    expect(store.get(other.mintSid())).toBeUndefined(); // same sequence number, another store's tag
    expect(store.get(`SM${'0'.repeat(32)}`)).toBeUndefined();
    expect(store.delete(sids[0])).toBe(true);
    expect(store.get(sids[0])).toBeUndefined();
    expect(store.size).toBe(19);
    store.clear();
    expect(store.size).toBe(0);
    expect(store.get(sids[1])).toBeUndefined();
    expect([...store.values()]).toEqual([]);
    store.close();
    other.close();
  });
});
