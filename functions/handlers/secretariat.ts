import { createAwsClients } from '../lib/aws.js';
import { loadConfig } from '../lib/config.js';
import { httpHandler, json } from '../lib/http.js';
import { pipelineDeps } from '../lib/nomination-deps.js';
import { authenticator } from '../lib/session.js';
import { expertPanel } from '../use-cases/expert-panel.js';
import { campaignOverview } from '../use-cases/overview.js';
import { grantExtension, importHonourees, listNominations } from '../use-cases/secretariat.js';

const config = loadConfig();
const clients = createAwsClients(config);
const authenticate = authenticator(clients, config);
const deps = pipelineDeps(clients, config);

/**
 * The secretariat's console: lists, the 2019–2023 honouree list, deadline extensions, the expert
 * pool; and the campaign overview (for its units too). The forwarding package has its own
 * function (forwarding-package.ts): it bundles the document libraries.
 */
export const handler = httpHandler<unknown>(
  async (event) => {
    const actor = await authenticate(event);
    const campaignId = event.pathParameters?.campaignId ?? '';
    switch (event.routeKey) {
      case 'GET /api/campaigns/{campaignId}/overview':
        return json(200, await campaignOverview(deps, actor, campaignId), { 'cache-control': 'no-store' });
      case 'GET /api/campaigns/{campaignId}/experts':
        return json(200, await expertPanel(deps, actor, campaignId));
      case 'GET /api/campaigns/{campaignId}/nominations':
        return json(200, await listNominations(deps, actor, campaignId, event.queryStringParameters ?? {}));
      case 'POST /api/campaigns/{campaignId}/honourees':
        return json(200, await importHonourees(deps, actor, campaignId, event.body));
      default: // POST /api/campaigns/{campaignId}/extensions
        return json(201, { extension: await grantExtension(deps, actor, campaignId, event.body) });
    }
  },
  { body: 'json' },
);
