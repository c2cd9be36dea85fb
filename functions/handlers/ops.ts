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
    'GET /api/ops/executions/{name}/history': async ({ actor, params, query }) =>
      json(200, await executionHistory(deps, actor, params.name ?? '', query)),
    'POST /api/ops/executions/{name}/restart': async ({ params }) => {
      const answer = await restartExecution(deps, params.name ?? '');
      // 201 for the restart started now; a repeat answers 200 with that same restart.
      return json(answer.restarted ? 201 : 200, answer);
    },
  },
  deps.gate,
);
