import { createAwsClients } from '../lib/aws.js';
import { loadConfig } from '../lib/config.js';
import { httpHandler, json } from '../lib/http.js';
import { pipelineDeps } from '../lib/nomination-deps.js';
import { authenticator } from '../lib/session.js';
import { nominationView } from '../rules/nomination-view.js';
import { screen } from '../use-cases/screening.js';

const config = loadConfig();
const clients = createAwsClients(config);
const authenticate = authenticator(clients, config);
const deps = pipelineDeps(clients, config);

/** POST /api/nominations/{id}/screening — the secretariat passes, returns (with reasons) or rejects. */
export const handler = httpHandler<unknown>(
  async (event) => {
    const actor = await authenticate(event);
    const nomination = await screen(deps, actor, event.pathParameters?.id ?? '', event.body);
    return json(200, nominationView(nomination));
  },
  { body: 'json' },
);
