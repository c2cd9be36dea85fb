import type { AppRoute } from '../../route-types.js';
import { RoundsPage } from './rounds-page.js';

/** The pages of this area (see web/README.md for the map of the app). */
export const roundRoutes: AppRoute[] = [{ path: '/rounds', render: () => <RoundsPage /> }];
