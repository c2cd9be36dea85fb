import { checkComponents } from '../adapters/health.js';
import { apiFunction, publicOnly } from '../lib/api.js';
import { loadConfig, originProofOnce } from '../lib/config.js';
import { json } from '../lib/http.js';
import { builtOnFirstUse } from '../rules/built-on-first-use.js';

// Composition root: config read on the first request, then kept; each probe's client is built on its first call.
const config = builtOnFirstUse(() => loadConfig());

/** 200 when every component answers, 503 naming the ones that do not. */
export const handler = apiFunction(
  'health',
  {
    'GET /api/health': async () => {
      const components = await checkComponents(config());
      const healthy = Object.values(components).every((c) => c.status === 'up');
      return json(
        healthy ? 200 : 503,
        { status: healthy ? 'ok' : 'degraded', stage: config().stage, components },
        { 'cache-control': 'no-store' },
      );
    },
  },
  publicOnly(originProofOnce),
);
