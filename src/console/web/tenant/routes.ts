import type { ConsoleRoute } from '../routing';
import { CampaignListPage } from './campaign-list';
import { CampaignPage } from './campaign-page';
import { ComposerPage } from './composer';
import { ContactsPage } from './contacts';
import { ContactDetailPage } from './contacts-detail';
import { OnboardingPage } from './onboarding';
import { RepliesPage } from './replies';
import { ReportsPage } from './reports';
import { tenantMay } from './role';

/**
 * The tenant console's pages; entries with `nav` appear in the header. `nav` is read when the
 * header renders, so a role that may not use a page does not see it listed (the page says so
 * too, and the API refuses anyway). `/tenant/campaigns/new` comes before `:id`: the first match wins.
 */
export const tenantRoutes: ConsoleRoute[] = [
  { path: '/tenant', title: 'Your account', nav: 'Home', component: OnboardingPage },
  { path: '/tenant/campaigns', title: 'Campaigns', nav: 'Campaigns', component: CampaignListPage },
  // Linked from the campaign list and the home page, not from the header (it stays short at phone width).
  { path: '/tenant/campaigns/new', title: 'New campaign', component: ComposerPage },
  { path: '/tenant/campaigns/:id', title: 'Campaign', component: CampaignPage },
  {
    path: '/tenant/replies',
    title: 'Replies',
    get nav() {
      return tenantMay('contacts.read') ? 'Replies' : undefined;
    },
    component: RepliesPage,
  },
  {
    path: '/tenant/contacts',
    title: 'Contacts',
    get nav() {
      return tenantMay('contacts.read') ? 'Contacts' : undefined;
    },
    component: ContactsPage,
  },
  { path: '/tenant/contacts/:id', title: 'Contact', component: ContactDetailPage },
  { path: '/tenant/reports', title: 'Reports', nav: 'Reports', component: ReportsPage },
];
