import type { AppRoute } from '../../route-types.js';
import { UnitDashboardPage } from './dashboard.js';
import { UnitNominationPage } from './nomination.js';

/** The recommending unit's pages: its desk, and one nomination from draft to release. */
export const unitRoutes: AppRoute[] = [
  { path: '/unit', render: () => <UnitDashboardPage /> },
  { path: '/unit/nominations/:id', render: (params) => <UnitNominationPage id={params.id ?? ''} /> },
];
