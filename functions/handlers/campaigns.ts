import { apiFunction } from '../lib/api.js';
import { json } from '../lib/http.js';
import {
  childRounds,
  correctRound,
  createRound,
  listRounds,
  roundVersions,
} from '../use-cases/campaign-catalog.js';
import { wiring } from '../wiring/compose.js';
import { send } from '../wiring/mail.js';
import { campaignStore, catalog, reviews } from '../wiring/parts.js';

const deps = wiring({ catalog, reviews, campaignStore, send });

/** The rounds: listed for the site, created and corrected while Laurel runs, and each parent's children. */
export const handler = apiFunction(
  'campaigns',
  {
    // Every page load of the web app reads it: a browser keeps it for as long as a function's own
    // cache may lag a correction (LAUREL_CAMPAIGN_CACHE_SECONDS); the console that has just
    // created or corrected a round revalidates at once.
    'GET /api/campaigns': async () =>
      json(200, await listRounds(deps), {
        'cache-control': `public, max-age=${Math.round(deps.config.campaignCacheMs / 1000)}`,
      }),
    'POST /api/campaigns': async ({ actor, body }) => json(201, await createRound(deps, actor, body)),
    'GET /api/campaigns/{campaignId}/versions': async ({ actor, params }) =>
      json(200, await roundVersions(deps, actor, params.campaignId ?? '')),
    'POST /api/campaigns/{campaignId}/versions': async ({ actor, params, body }) =>
      json(201, await correctRound(deps, actor, params.campaignId ?? '', body)),
    'GET /api/campaigns/{campaignId}/children': async ({ params }) =>
      json(200, await childRounds(deps, params.campaignId ?? '')),
  },
  deps.gate,
);
