import './styles.css';
import { render } from 'preact';
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
render(<App />, document.getElementById('app') as HTMLElement);
