import {
  confirmSelection,
  openPublicity,
  previewSelection,
  publicList,
  release,
  resolveObjection,
  submitObjection,
} from '../domain/campaign-steps.js';
import { createAwsClients } from '../lib/aws.js';
import { loadConfig } from '../lib/config.js';
import { httpHandler, json } from '../lib/http.js';
import { pipelineDeps } from '../lib/nomination-deps.js';
import { authenticator } from '../lib/session.js';

const config = loadConfig();
const clients = createAwsClients(config);
const authenticate = authenticator(clients, config);
const deps = pipelineDeps(clients, config);

/** Campaign-wide steps of the secretariat, and the public notice with its objections. */
export const handler = httpHandler<unknown>(
  async (event) => {
    const campaignId = event.pathParameters?.campaignId ?? '';
    switch (event.routeKey) {
      case 'GET /api/public/{campaignId}/publicity':
        return json(200, await publicList(deps, campaignId, 'publicity'));
      case 'GET /api/public/{campaignId}/released':
        return json(200, await publicList(deps, campaignId, 'released'));
      case 'POST /api/public/{campaignId}/objections':
        return json(201, await submitObjection(deps, campaignId, event.body));
    }
    const actor = await authenticate(event);
    switch (event.routeKey) {
      case 'GET /api/campaigns/{campaignId}/ranking':
        return json(200, { outcomes: await previewSelection(deps, actor, campaignId) });
      case 'POST /api/campaigns/{campaignId}/selection':
        return json(200, { outcomes: await confirmSelection(deps, actor, campaignId, event.body ?? {}) });
      case 'POST /api/campaigns/{campaignId}/publicity':
        return json(200, { state: await openPublicity(deps, actor, campaignId) });
      case 'GET /api/campaigns/{campaignId}/objections':
        return json(200, {
          objections: await deps.campaignStore
            .objections(campaignId)
            .then((o) => (actor.role === 'secretariat' && actor.campaignId === campaignId ? o : [])),
        });
      case 'POST /api/campaigns/{campaignId}/objections/{objectionId}/resolution':
        return json(200, {
          objection: await resolveObjection(
            deps,
            actor,
            campaignId,
            event.pathParameters?.objectionId ?? '',
            event.body,
          ),
        });
      default:
        return json(200, await release(deps, actor, campaignId));
    }
  },
  { body: 'json' },
);
