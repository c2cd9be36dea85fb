import { apiFunction } from '../lib/api.js';
import { json } from '../lib/http.js';
import { nominationView } from '../rules/nomination-view.js';
import { screen } from '../use-cases/screening.js';
import { wiring } from '../wiring/compose.js';
import { send } from '../wiring/mail.js';
import { campaignStore, workflow } from '../wiring/parts.js';

const deps = wiring({ campaignStore, workflow, send });

/** The secretariat passes, returns (with reasons) or rejects a submitted nomination. */
export const handler = apiFunction(
  'screening',
  {
    'POST /api/nominations/{id}/screening': async ({ actor, params, body }) =>
      json(200, nominationView(await screen(deps, actor, params.id ?? '', body))),
  },
  deps.gate,
);
