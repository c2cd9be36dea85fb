import { apiFunction } from '../lib/api.js';
import { json } from '../lib/http.js';
import { executionHistory, listExecutions, restartExecution } from '../use-cases/operations.js';
import { wiring } from '../wiring/compose.js';
import { executions } from '../wiring/parts.js';

const deps = wiring({ executions });

/** Operations: the campaign's executions by status, one execution's history, a restart. */
export const handler = apiFunction(
  'ops',
  {
    'GET /api/ops/executions': async ({ actor, query }) =>
      json(200, await listExecutions(deps, actor, query)),
    'GET /api/ops/executions/{name}/history': async ({ actor, params }) =>
      json(200, await executionHistory(deps, actor, params.name ?? '')),
    'POST /api/ops/executions/{name}/restart': async ({ params }) =>
      json(201, await restartExecution(deps, params.name ?? '')),
  },
  deps.gate,
);
