import type { ConsoleRoute } from '../routing';
import { TenantHome } from './home';

/** The tenant console's pages; entries with `nav` appear in the header. */
export const tenantRoutes: ConsoleRoute[] = [{ path: '/tenant', title: 'Your account', nav: 'Home', component: TenantHome }];
