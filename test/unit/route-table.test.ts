import express, { Router } from 'express';
import { routeTable } from '../support/route-table';

/** The route walker the isolation test relies on: it must see every route, at any depth, or say why not. */
describe('routeTable', () => {
  it('lists routes of the app and of routers mounted in it, at any depth and mount path', () => {
    const app = express();
    app.use(express.json());
    app.get('/healthz', (_req, res) => res.end());
    const inner = Router();
    inner.put('/users/:name', (_req, res) => res.end());
    const outer = Router();
    outer.use((_req, _res, next) => next());
    outer
      .route('/v1/things/:id')
      .get((_req, res) => res.end())
      .delete((_req, res) => res.end());
    outer.use('/v1/tenants/:id/', inner);
    outer.route('/anything').all((_req, res) => res.end());
    app.use(outer);
    app.post(['/a', '/b'], (_req, res) => res.end());

    expect(routeTable(app)).toEqual(
      ['ALL /anything', 'DELETE /v1/things/:id', 'GET /healthz', 'GET /v1/things/:id', 'POST /a', 'POST /b', 'PUT /v1/tenants/:id/users/:name'].sort(),
    );
  });

  it('refuses what it cannot name rather than leave it out: a RegExp path, a mounted sub-app', () => {
    const withRegExp = express();
    withRegExp.get(/^\/legacy\/.*/, (_req, res) => res.end());
    expect(() => routeTable(withRegExp)).toThrow(/not a string/);
    const withSubApp = express();
    withSubApp.use('/sub', express());
    expect(() => routeTable(withSubApp)).toThrow(/sub-app is mounted under "\/sub"/);
  });
});
