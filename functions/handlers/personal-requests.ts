import { apiFunction } from '../lib/api.js';
import { json } from '../lib/http.js';
import { correctPersonalData, erasePersonalData, erasureView } from '../use-cases/personal-requests.js';
import { wiring } from '../wiring/compose.js';
import { campaignStore, eraseData, publicFiles, workflow } from '../wiring/parts.js';

const deps = wiring({ campaignStore, workflow, publicFiles, eraseData });

/** A person's requests to the secretariat: correct their personal fields, or delete their data. */
export const handler = apiFunction(
  'personal-requests',
  {
    'GET /api/nominations/{id}/erasure': async ({ actor, params }) =>
      json(200, await erasureView(deps, actor, params.id ?? ''), { 'cache-control': 'no-store' }),
    'PUT /api/nominations/{id}/personal-fields': async ({ actor, params, body }) =>
      json(200, await correctPersonalData(deps, actor, params.id ?? '', body)),
    'POST /api/nominations/{id}/erasure': async ({ actor, params, body }) =>
      json(200, await erasePersonalData(deps, actor, params.id ?? '', body)),
  },
  deps.gate,
);
