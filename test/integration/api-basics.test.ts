import request from 'supertest';
import pino from 'pino';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../../src/api/app';
import { createTwilioClientFactory } from '../../src/twilio/client-factory';
import { healthConnection } from '../../src/api/health';
import { createDb, type Db } from '../../src/db/knex';
import { freePort } from '../../src/dev/free-port';
import { testConfig, testServices } from '../support/test-env';

describe('API basics against the real services', () => {
  const services = testServices();
  let db: Db;
  let connection: Connection;
  let health: Connection;
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    db = createDb(services.databaseUrl);
    connection = await Connection.connect({ address: services.temporalAddress });
    health = healthConnection(services.temporalAddress);
    app = createApp({
      db,
      temporal: new Client({ connection }),
      temporalHealth: health,
      log: pino({ level: 'silent' }),
      config: testConfig(),
      twilio: createTwilioClientFactory(testConfig()),
    });
  });
  afterAll(async () => {
    await db.destroy();
    await connection.close();
    await health.close();
  });

  it('/healthz reports PostgreSQL and Temporal up', async () => {
    const res = await request(app).get('/healthz').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', checks: { postgres: { status: 'up' }, temporal: { status: 'up' } } });
  });

  it('/healthz answers 503 and names what is down', async () => {
    const deadDb = createDb(`postgres://postgres@127.0.0.1:${await freePort()}/nothing`, { acquireTimeoutMs: 1500 });
    const deadTemporal = healthConnection(`127.0.0.1:${await freePort()}`);
    try {
      const broken = createApp({
        db: deadDb,
        temporal: new Client({ connection: deadTemporal }),
        temporalHealth: deadTemporal,
        log: pino({ level: 'silent' }),
        config: testConfig(),
        twilio: createTwilioClientFactory(testConfig()),
      });
      const res = await request(broken).get('/healthz').expect(503);
      expect(res.body.status).toBe('degraded');
      expect(res.body.checks.postgres).toMatchObject({ status: 'down', error: expect.any(String) });
      expect(res.body.checks.temporal).toMatchObject({ status: 'down', error: expect.any(String) });
    } finally {
      await deadDb.destroy();
      await deadTemporal.close();
    }
  });

  it('/metrics speaks Prometheus and counts requests by route', async () => {
    await request(app).get('/healthz');
    const res = await request(app).get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toMatch(/clearsend_http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/);
    expect(res.text).toContain('process_cpu_seconds_total');
  });

  it('answers an unknown route with problem+json 404', async () => {
    const res = await request(app).get('/v1/nothing-here').expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 404, title: 'Not found' });
  });

  it('answers malformed JSON with problem+json 400', async () => {
    const res = await request(app).post('/v1/anything').set('content-type', 'application/json').send('{"broken":').expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, title: 'Bad request' });
  });
});
