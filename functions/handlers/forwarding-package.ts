import { apiFunction } from '../lib/api.js';
import { json } from '../lib/http.js';
import { packageStatus, startPackage } from '../use-cases/forwarding-package.js';
import { exportPersonalData } from '../use-cases/personal-data-export.js';
import { wiring } from '../wiring/compose.js';
import { packageParts } from '../wiring/upload-parts.js';

const deps = wiring(packageParts);

/**
 * The forwarding package: the request starts its job (statemachines/forwarding-package.asl.json)
 * and answers at once with the progress; a read of the job gives the progress and, once done, the
 * download. The package itself is written by the job's task (handlers/tasks/package-job.ts).
 * Also one person's copy of their data (a nomination's JSON and files), built in the request.
 */
export const handler = apiFunction(
  'forwarding-package',
  {
    'POST /api/campaigns/{campaignId}/package': async ({ actor, params, body }) =>
      json(202, await startPackage(deps, actor, params.campaignId ?? '', body)),
    'GET /api/campaigns/{campaignId}/package/{jobId}': async ({ actor, params }) =>
      json(200, await packageStatus(deps, actor, params.campaignId ?? '', params.jobId ?? ''), {
        'cache-control': 'no-store',
      }),
    'POST /api/nominations/{id}/personal-data': async ({ actor, params }) =>
      json(201, await exportPersonalData(deps, actor, params.id ?? '')),
  },
  deps.gate,
);
