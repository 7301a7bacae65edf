import { Router } from 'express';
import type { ApiDeps } from '../app';
import { staffReviewRoutes } from './staff-review';
import { staffTenantRateRoutes } from './staff-tenant-rates';
import { staffTenantRoutes } from './staff-tenants';

/** The staff reads the console's pages need beyond the API's own (mounted behind the staff key and the staff-read audit). */
export function staffConsoleRoutes({ db, temporal, config }: Pick<ApiDeps, 'db' | 'temporal' | 'config'>): Router {
  const router = Router();
  router.use(staffTenantRoutes({ db }));
  router.use(staffTenantRateRoutes({ db, config }));
  router.use(staffReviewRoutes({ db, temporal }));
  return router;
}
