import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { consoleStaticRoutes } from '../../src/api/console-static';
import { errorHandler, notFoundHandler } from '../../src/api/problem';
import { apiHarness } from '../support/api';
import { testConfig } from '../support/test-env';

/** The console's bundle at /console (built by the test setup), its page for client routes, its headers. */
describe('console pages', () => {
  let api: Awaited<ReturnType<typeof apiHarness>>;
  beforeAll(async () => {
    api = await apiHarness(testConfig());
  });
  afterAll(() => api.close());

  it.each(['/console', '/console/', '/console/staff/tenants/42', '/console/tenant'])('answers %s with the app page and a strict CSP', async (url) => {
    const res = await request(api.app).get(url).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('<div id="app">');
    expect(res.text).not.toMatch(/<script(?![^>]*\bsrc=)/);
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('same-origin');
  });

  it('serves the bundle the page names, and 404 for a file that is not there', async () => {
    const page = await request(api.app).get('/console').expect(200);
    const script = /src="(\/console\/app\.js\?v=[0-9a-f]+)"/.exec(page.text)![1];
    const style = /href="(\/console\/app\.css\?v=[0-9a-f]+)"/.exec(page.text)![1];
    expect((await request(api.app).get(script).expect(200)).headers['content-type']).toMatch(/javascript/);
    expect((await request(api.app).get(style).expect(200)).headers['content-type']).toMatch(/^text\/css/);
    await request(api.app).get('/console/no-such-file.js').expect(404);
  });

  it('keeps the session routes out of the page fallback', async () => {
    const res = await request(api.app).get('/console/session').expect(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('answers 503 saying how to build it when there is no bundle', async () => {
    const app = express();
    app.use(consoleStaticRoutes(mkdtempSync(path.join(tmpdir(), 'no-console-'))));
    app.use(notFoundHandler);
    app.use(errorHandler(pino({ level: 'silent' })));
    const res = await request(app).get('/console/staff').expect(503);
    expect(res.body).toMatchObject({ title: 'Console not built', detail: expect.stringContaining('npm run build:console') });
  });
});
