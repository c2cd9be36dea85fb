import type { AppRoute } from '../../route-types.js';
import { RequireRole } from '../../ui/components.js';
import { ExpertsPage } from './experts.js';
import { NominationListPage } from './list.js';
import { PublicityPage } from './publicity.js';
import { RankingPage } from './ranking.js';
import { ScreeningPage } from './screening.js';

/** The pages of this area (see web/README.md for the map of the app). */
export const secretariatRoutes: AppRoute[] = [
  {
    path: '/secretariat',
    render: () => (
      <RequireRole roles={['secretariat']}>
        <NominationListPage />
      </RequireRole>
    ),
  },
  {
    path: '/secretariat/nominations/:id',
    render: (params) => (
      <RequireRole roles={['secretariat']}>
        <ScreeningPage id={params.id ?? ''} />
      </RequireRole>
    ),
  },
  {
    path: '/secretariat/experts',
    render: () => (
      <RequireRole roles={['secretariat']}>
        <ExpertsPage />
      </RequireRole>
    ),
  },
  {
    path: '/secretariat/ranking',
    render: () => (
      <RequireRole roles={['secretariat']}>
        <RankingPage />
      </RequireRole>
    ),
  },
  {
    path: '/secretariat/publicity',
    render: () => (
      <RequireRole roles={['secretariat']}>
        <PublicityPage />
      </RequireRole>
    ),
  },
];
