import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { contractMiddleware, type ContractViolation } from '../../src/sandbox/contract';
import { sandboxHarness, twilioFailure, until } from '../support/sandbox';

describe('sandbox: state across restarts and the OpenAPI contract', () => {
  it('keeps accounts, numbers and opt-outs across a restart when given a state file', async () => {
    const stateFile = path.join(mkdtempSync(path.join(tmpdir(), 'cs-sandbox-')), 'state.json');
    const first = await sandboxHarness({ stateFile });
    const account = await first.twilio.platform().api.v2010.accounts.create({ friendlyName: 'cs:persist' });
    const client = first.subaccountClient(account.sid, account.authToken);
    const number = await client.incomingPhoneNumbers.create({ areaCode: '415' });
    await first.control('/__sandbox/inbound', { body: { from: '+14155552671', to: number.phoneNumber, body: 'STOP' } });
    await first.close();

    const second = await sandboxHarness({ stateFile });
    try {
      const again = second.subaccountClient(account.sid, account.authToken);
      expect((await again.incomingPhoneNumbers.list()).map((n) => n.phoneNumber)).toEqual([number.phoneNumber]);
      expect(await twilioFailure(again.messages.create({ from: number.phoneNumber, to: '+14155552671', body: 'x' }))).toMatchObject({ code: 21610 });
      await again.messages.create({ from: number.phoneNumber, to: '+14155552672', body: 'x' });
    } finally {
      await second.close();
    }
  });

  it('keeps carrier registrations across a restart, and a review under way reaches its verdict after it', async () => {
    const stateFile = path.join(mkdtempSync(path.join(tmpdir(), 'cs-sandbox-')), 'state.json');
    const first = await sandboxHarness({ stateFile, vettingMs: 1500 });
    const account = await first.twilio.platform().api.v2010.accounts.create({ friendlyName: 'cs:persist-registration' });
    const client = first.subaccountClient(account.sid, account.authToken);
    const profile = await client.trusthub.v1.customerProfiles.create({
      friendlyName: 'cs:persist-profile',
      email: 'a@example.com',
      policySid: 'RNdfbf3fae0e1107f8aded0e7cead80bf5',
    });
    const service = await client.messaging.v1.services.create({ friendlyName: 'cs:persist-service', statusCallback: 'https://example.com/status' });
    const [available] = await client.availablePhoneNumbers('US').tollFree.list({ limit: 1 });
    const number = await client.incomingPhoneNumbers.create({ phoneNumber: available.phoneNumber });
    const verification = await client.messaging.v1.tollfreeVerifications.create({
      tollfreePhoneNumberSid: number.sid,
      businessName: 'Owl, Inc.',
      businessWebsite: 'https://owl.example.com',
      notificationEmail: 'c@owl.example.com',
      useCaseCategories: ['ACCOUNT_NOTIFICATIONS'],
      useCaseSummary: 'Order notices.',
      productionMessageSample: 'Owl: your order shipped.',
      optInImageUrls: ['https://owl.example.com/opt-in.png'],
      optInType: 'WEB_FORM',
      messageVolume: '10',
    });
    await first.close();

    const second = await sandboxHarness({ stateFile, vettingMs: 60_000 });
    try {
      const again = second.subaccountClient(account.sid, account.authToken);
      expect((await again.trusthub.v1.customerProfiles.list({ friendlyName: 'cs:persist-profile' })).map((p) => p.sid)).toEqual([profile.sid]);
      expect((await again.messaging.v1.services(service.sid).fetch()).statusCallback).toBe('https://example.com/status');
      expect(second.sandbox.primaryCustomerProfileSid).toBe(first.sandbox.primaryCustomerProfileSid);
      // Decided by the first sandbox's 1.5 s, not the second's 60 s.
      await until(async () => (await again.messaging.v1.tollfreeVerifications(verification.sid).fetch()).status === 'TWILIO_APPROVED');
    } finally {
      await second.close();
    }
  });

  it('forgets everything without a state file', async () => {
    const first = await sandboxHarness();
    const account = await first.twilio.platform().api.v2010.accounts.create({ friendlyName: 'cs:ephemeral' });
    await first.close();
    const second = await sandboxHarness();
    try {
      expect(await second.twilio.platform().api.v2010.accounts.list({ friendlyName: 'cs:ephemeral' })).toEqual([]);
      expect(await twilioFailure(second.subaccountClient(account.sid, account.authToken).messages.list())).toMatchObject({ status: 401 });
    } finally {
      await second.close();
    }
  });

  it('in enforce mode, refuses a request that breaks Twilio’s documented parameters', async () => {
    const h = await sandboxHarness();
    const auth = `Basic ${Buffer.from(`${h.sandbox.platform.accountSid}:${h.sandbox.platform.authToken}`).toString('base64')}`;
    const res = await fetch(`${h.sandbox.url}/2010-04-01/Accounts/${h.sandbox.platform.accountSid}/Messages.json`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ To: '+14155552671', From: '+15005550006', Body: 'x', ValidityPeriod: 'soon' }).toString(),
    });
    expect(res.status).toBe(500);
    expect(((await res.json()) as { message: string }).message).toMatch(/contract violation \(request\).*ValidityPeriod/);
    expect(h.sandbox.contractViolations()).toHaveLength(1);
    h.sandbox.contractViolations().length = 0;
    await h.close();
  });

  it('refuses a response that breaks Twilio’s documented fields', async () => {
    const violations: ContractViolation[] = [];
    const app = express();
    app.use(contractMiddleware(violations));
    app.get('/2010-04-01/Accounts/:sid.json', (req, res) => void res.json({ sid: req.params.sid, status: 'active', date_created: 'yesterday' }));
    const res = await request(app)
      .get(`/2010-04-01/Accounts/AC${'a'.repeat(32)}.json`)
      .expect(500);
    expect(res.body.message).toMatch(/contract violation \(response\).*date_created/);
    expect(violations).toEqual([expect.objectContaining({ phase: 'response' })]);
  });
});
