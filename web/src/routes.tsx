import { expertRoutes } from './pages/expert/routes.js';
import { HomePage } from './pages/home.js';
import { opsRoutes } from './pages/ops/routes.js';
import { publicRoutes } from './pages/public/routes.js';
import { roundRoutes } from './pages/rounds/routes.js';
import { secretariatRoutes } from './pages/secretariat/routes.js';
import { SignInPage } from './pages/signin.js';
import { unitRoutes } from './pages/unit/routes.js';
import type { AppRoute } from './route-types.js';

/**
 * Every page of the app. Empty path segments are ignored and a trailing `index.html` names its
 * folder (router.ts), so the e-mailed links `/signin/index.html#…` and `/review/index.html#…`
 * (functions/rules/links.ts) match `/signin` and `/review`.
 */
export const ROUTES: AppRoute[] = [
  { path: '/', render: () => <HomePage /> },
  { path: '/signin', render: () => <SignInPage /> },
  ...unitRoutes,
  ...secretariatRoutes,
  ...expertRoutes,
  ...publicRoutes,
  ...opsRoutes,
  ...roundRoutes,
];
