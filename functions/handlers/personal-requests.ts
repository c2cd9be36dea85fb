import { apiFunction } from '../lib/api.js';
import { json } from '../lib/http.js';
import { correctPersonalData, deleteNomineeData, deletionView } from '../use-cases/personal-requests.js';
import { wiring } from '../wiring/compose.js';
import { campaignStore, erasure, files, publicFiles, reviews, workflow } from '../wiring/parts.js';

const deps = wiring({ campaignStore, workflow, publicFiles, reviews, erasure, files });

/** A person's requests to the secretariat: correct their personal fields, or delete their data. */
export const handler = apiFunction(
  'personal-requests',
  {
    'GET /api/nominations/{id}/deletion': async ({ actor, params }) =>
      json(200, await deletionView(deps, actor, params.id ?? ''), { 'cache-control': 'no-store' }),
    'PUT /api/nominations/{id}/personal-fields': async ({ actor, params, body }) =>
      json(200, await correctPersonalData(deps, actor, params.id ?? '', body)),
    'POST /api/nominations/{id}/deletion': async ({ actor, params, body }) =>
      json(200, await deleteNomineeData(deps, actor, params.id ?? '', body)),
  },
  deps.gate,
);
