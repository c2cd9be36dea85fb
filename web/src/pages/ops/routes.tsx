import type { AppRoute } from '../../route-types.js';
import { ExecutionPage } from './execution-page.js';
import { ExecutionsPage } from './executions-page.js';

/** The pages of this area (see web/README.md for the map of the app). */
export const opsRoutes: AppRoute[] = [
  { path: '/ops', render: () => <ExecutionsPage /> },
  { path: '/ops/executions/:name', render: (p) => <ExecutionPage name={p.name ?? ''} /> },
];
