import { createAwsClients } from '../lib/aws.js';
import { loadConfig } from '../lib/config.js';
import { httpHandler, json } from '../lib/http.js';
import { pipelineDeps } from '../lib/nomination-deps.js';
import { authenticator } from '../lib/session.js';
import { buildPackage } from '../use-cases/forwarding-package.js';

const config = loadConfig();
const clients = createAwsClients(config);
const authenticate = authenticator(clients, config);
const deps = pipelineDeps(clients, config);

/**
 * POST /api/campaigns/{campaignId}/package — the forwarding package (every forwarded nomination's
 * Word form, scan and photos, and the summary XLSX, as one ZIP). A function of its own: it
 * bundles docx, exceljs and fflate, and holds whole files in memory.
 */
export const handler = httpHandler<unknown>(
  async (event) => {
    const actor = await authenticate(event);
    return json(201, await buildPackage(deps, actor, event.pathParameters?.campaignId ?? ''));
  },
  { body: 'json' },
);
