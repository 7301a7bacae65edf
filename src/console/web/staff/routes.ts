import type { ConsoleRoute } from '../routing';
import { StaffHome } from './home';

/** The staff console's pages; entries with `nav` appear in the header. */
export const staffRoutes: ConsoleRoute[] = [{ path: '/staff', title: 'Staff console', nav: 'Home', component: StaffHome }];
