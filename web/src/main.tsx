import './styles.css';
import { render } from 'preact';
import { loadRounds } from './campaigns.js';
import { NotFoundPage } from './pages/placeholders.js';
import { currentPath, match } from './router.js';
import { ROUTES } from './routes.js';
import { loadSession } from './session.js';

function App() {
  const path = currentPath.value;
  for (const route of ROUTES) {
    const params = match(route.path, path);
    if (params) return route.render(params);
  }
  return <NotFoundPage />;
}

void loadSession().catch(() => undefined);
// Pages that need a round's definition show its loading or its error (RoundsLoaded).
void loadRounds().catch(() => undefined);
render(<App />, document.getElementById('app') as HTMLElement);
