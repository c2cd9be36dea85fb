import type { AppRoute } from '../../route-types.js';
import { PublicityPage } from './publicity-page.js';
import { ReleasedPage } from './released-page.js';

/** The pages of this area (see web/README.md for the map of the app). */
export const publicRoutes: AppRoute[] = [
  {
    path: '/public/:campaignId/publicity',
    render: (p) => <PublicityPage campaignId={p.campaignId ?? ''} />,
  },
  {
    path: '/public/:campaignId/released',
    render: (p) => <ReleasedPage campaignId={p.campaignId ?? ''} />,
  },
];
