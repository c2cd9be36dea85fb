import { apiFunction } from '../lib/api.js';
import { json } from '../lib/http.js';
import { endorseForwarded } from '../use-cases/endorsement.js';
import { expertPanel } from '../use-cases/expert-panel.js';
import { campaignOverview } from '../use-cases/overview.js';
import {
  closeSubmissions,
  grantExtension,
  importHonourees,
  listNominations,
  listUnits,
} from '../use-cases/secretariat.js';
import { wiring } from '../wiring/compose.js';
import { campaignStore, reviews } from '../wiring/parts.js';

const deps = wiring({ reviews, campaignStore });

/**
 * The secretariat's console: lists, the 2019–2023 honouree list, deadline extensions, the expert
 * pool; and the campaign overview (for its units too). The forwarding package has its own
 * function (forwarding-package.ts): it bundles the document libraries.
 */
export const handler = apiFunction(
  'secretariat',
  {
    'GET /api/campaigns/{campaignId}/overview': async ({ actor, params }) =>
      json(200, await campaignOverview(deps, actor, params.campaignId ?? ''), {
        'cache-control': 'no-store',
      }),
    'GET /api/campaigns/{campaignId}/experts': async ({ actor, params }) =>
      json(200, await expertPanel(deps, actor, params.campaignId ?? '')),
    'GET /api/campaigns/{campaignId}/nominations': async ({ actor, params, query }) =>
      json(200, await listNominations(deps, actor, params.campaignId ?? '', query)),
    'GET /api/campaigns/{campaignId}/units': async ({ actor, params }) =>
      json(200, { units: await listUnits(deps, actor, params.campaignId ?? '') }),
    'POST /api/campaigns/{campaignId}/honourees': async ({ actor, params, body }) =>
      json(200, await importHonourees(deps, actor, params.campaignId ?? '', body)),
    'POST /api/campaigns/{campaignId}/extensions': async ({ actor, params, body }) =>
      json(201, { extension: await grantExtension(deps, actor, params.campaignId ?? '', body) }),
    // Only the opinion is answered: the nomination in the parent round holds its task token.
    'PUT /api/campaigns/{campaignId}/forwarded/{nominationId}/opinion': async ({ actor, params, body }) => {
      const endorsed = await endorseForwarded(
        deps,
        actor,
        params.campaignId ?? '',
        params.nominationId ?? '',
        body,
      );
      return json(200, { endorsement: endorsed.endorsement });
    },
    'POST /api/campaigns/{campaignId}/close-submissions': async ({ actor, params, body }) =>
      json(200, { submissionsClosed: await closeSubmissions(deps, actor, params.campaignId ?? '', body) }),
  },
  deps.gate,
);
