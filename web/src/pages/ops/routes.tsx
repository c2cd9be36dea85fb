import type { AppRoute } from '../../route-types.js';

/** The pages of this area (see web/README.md for the map of the app). */
export const opsRoutes: AppRoute[] = [];
