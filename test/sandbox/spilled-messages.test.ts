import { sandboxHarness, until, type SandboxHarness } from '../support/sandbox';

/**
 * The sandbox keeps only recent messages, ledger entries and Lookups on the heap (the rest are
 * on disk, so a million-message benchmark does not measure the sandbox's garbage collector).
 * With tiny limits, everything the tests and benchmarks read must work the same on spilled data.
 */
describe('sandbox: messages, ledger and Lookups beyond the in-memory limits', () => {
  let h: SandboxHarness;
  beforeAll(async () => {
    h = await sandboxHarness({ spillLimits: { hotMessages: 5, ledgerTail: 3, lookupTail: 3 } });
  });
  afterAll(() => h.close());

  it('fetches, lists, redacts and counts spilled messages, and lists every Lookup', async () => {
    const account = await h.twilio.platform().api.v2010.accounts.create({ friendlyName: 'cs:spill' });
    const client = h.subaccountClient(account.sid, account.authToken);
    const [available] = await client.availablePhoneNumbers('US').local.list({ areaCode: 415, smsEnabled: true, limit: 1 });
    const from = (await client.incomingPhoneNumbers.create({ phoneNumber: available.phoneNumber, smsMethod: 'POST' })).phoneNumber;
    const tos = Array.from({ length: 30 }, (_, i) => `+1415555${String(2000 + i)}`);
    const sids: string[] = [];
    for (const to of tos) sids.push((await client.messages.create({ from, to, body: `spill ${to}` })).sid);
    // Each later send spills settled ones; wait until all have settled and one more send spills them.
    await until(() => sids.every((sid) => h.sandbox.store.messages.get(sid)?.status === 'delivered'));
    sids.push((await client.messages.create({ from, to: '+14155553000', body: 'last' })).sid);
    expect(h.sandbox.store.messages.inMemory).toBeLessThanOrEqual(6);
    expect(h.sandbox.store.messages.size).toBe(31);

    const first = await client.messages(sids[0]).fetch();
    expect(first).toMatchObject({ sid: sids[0], to: tos[0], status: 'delivered', body: `spill ${tos[0]}` });
    expect((await client.messages(sids[0]).update({ body: '' })).body).toBe('');
    expect((await client.messages(sids[0]).fetch()).body).toBe('');
    const listed = await client.messages.list({ to: tos[1] });
    expect(listed.map((m) => m.sid)).toEqual([sids[1]]);
    expect(await client.messages.list({ limit: 100 })).toHaveLength(31);

    const ledger = await h.control(`/__sandbox/ledger?from=${encodeURIComponent(from)}`);
    expect(ledger.body.count).toBe(31);
    expect(ledger.body.entries[0]).toMatchObject({ sid: sids[0], to: tos[0], params: { To: tos[0], From: from, Body: `spill ${tos[0]}` } });
    const compact = await h.control(`/__sandbox/ledger?to=${encodeURIComponent(tos[2])}&fields=acceptedAt`);
    expect(compact.body).toEqual({ count: 1, entries: [{ acceptedAt: expect.any(String) as string }] });

    for (const to of tos.slice(0, 10)) await client.lookups.v2.phoneNumbers(to).fetch();
    const { body } = await h.control('/__sandbox/lookups');
    expect(body.lookups.map((l: { phoneNumber: string }) => l.phoneNumber)).toEqual(tos.slice(0, 10));
    expect(h.sandbox.store.lookups.inMemory).toBeLessThan(3);
    const memory = await h.control('/__sandbox/memory');
    expect(memory.body).toMatchObject({ messages: { total: 31 }, ledger: { total: 31 }, lookups: { total: 10 } });
    expect(memory.body.messages.inMemory).toBeLessThanOrEqual(6);
  });
});
