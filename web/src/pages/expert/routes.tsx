import type { AppRoute } from '../../route-types.js';
import { ReviewPage } from './review-page.js';

/** The pages of this area (see web/README.md for the map of the app). */
export const expertRoutes: AppRoute[] = [
  // The e-mailed link `/review/index.html#<token>`: the token stays in the fragment.
  { path: '/review', render: () => <ReviewPage /> },
];
