import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { apiHarness } from '../support/api';
import { testConfig } from '../support/test-env';

/** `/metrics` (issue 12 item 6): only clients on this host by default; anyone with METRICS_TOKEN when it is set. */
describe('/metrics access', () => {
  const prometheusText = /clearsend_http_requests_total/;
  /** A client elsewhere, as a proxy on this host (TRUST_PROXY's default, loopback) relays it. */
  const outside = { 'x-forwarded-for': '203.0.113.7' };

  describe('without METRICS_TOKEN', () => {
    let api: Awaited<ReturnType<typeof apiHarness>>;
    beforeAll(async () => {
      api = await apiHarness(testConfig());
    });
    afterAll(() => api.close());

    it('answers a client on this host', async () => {
      const res = await request(api.app).get('/metrics').expect(200);
      expect(res.text).toMatch(prometheusText);
    });

    it('refuses a client elsewhere with a 403 saying how to allow it', async () => {
      const res = await request(api.app).get('/metrics').set(outside).expect(403);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.detail).toMatch(/METRICS_TOKEN/);
      expect(res.text).not.toMatch(prometheusText);
    });
  });

  describe('with METRICS_TOKEN', () => {
    const token = randomBytes(24).toString('hex');
    let api: Awaited<ReturnType<typeof apiHarness>>;
    beforeAll(async () => {
      api = await apiHarness(testConfig({ METRICS_TOKEN: token }));
    });
    afterAll(() => api.close());

    it.each([
      ['no Authorization header', undefined],
      ['another token', `Bearer ${randomBytes(24).toString('hex')}`],
      ['the token less its last character', `Bearer ${token.slice(0, -1)}`],
      ['the token with one more character', `Bearer ${token}0`],
      ['the token under another scheme', `Basic ${token}`],
    ])('answers 401 to %s, even from this host', async (_label, authorization) => {
      const req = request(api.app).get('/metrics');
      const res = await (authorization ? req.set('authorization', authorization) : req).expect(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="metrics"');
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.text).not.toMatch(prometheusText);
    });

    it.each([
      ['from this host', {}],
      ['from elsewhere', outside],
    ])('answers 200 to the token %s, the scheme in any case', async (_label, headers) => {
      for (const scheme of ['Bearer', 'bearer']) {
        const res = await request(api.app).get('/metrics').set(headers).set('authorization', `${scheme} ${token}`).expect(200);
        expect(res.text).toMatch(prometheusText);
      }
    });
  });
});
