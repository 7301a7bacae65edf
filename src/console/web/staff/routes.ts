import type { ConsoleRoute } from '../routing';
import { AuditLogPage } from './audit-log';
import { StaffHome } from './home';
import { ReviewPage } from './review-page';
import { ReviewQueuePage } from './review-queue';
import { TenantListPage } from './tenant-list';
import { TenantPage } from './tenant-page';

/** The staff console's pages; entries with `nav` appear in the header. */
export const staffRoutes: ConsoleRoute[] = [
  { path: '/staff', title: 'Staff console', nav: 'Home', component: StaffHome },
  { path: '/staff/reviews', title: 'Review queue', nav: 'Reviews', component: ReviewQueuePage },
  { path: '/staff/reviews/:id', title: 'Review', component: ReviewPage },
  { path: '/staff/tenants', title: 'Tenants', nav: 'Tenants', component: TenantListPage },
  { path: '/staff/tenants/:id', title: 'Tenant', component: TenantPage },
  { path: '/staff/audit', title: 'Audit log', nav: 'Audit log', component: AuditLogPage },
];
