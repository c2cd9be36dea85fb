import { checkComponents } from '../adapters/health.js';
import { createAwsClients } from '../lib/aws.js';
import { loadConfig } from '../lib/config.js';
import { httpHandler, json } from '../lib/http.js';

// Composition root: config and clients are built once per cold start.
const config = loadConfig();
const clients = createAwsClients(config);

/** GET /api/health — 200 when every component answers, 503 naming the ones that do not. */
export const handler = httpHandler(async () => {
  const components = await checkComponents(clients, config);
  const healthy = Object.values(components).every((c) => c.status === 'up');
  return json(
    healthy ? 200 : 503,
    { status: healthy ? 'ok' : 'degraded', stage: config.stage, components },
    {
      'cache-control': 'no-store',
    },
  );
});
