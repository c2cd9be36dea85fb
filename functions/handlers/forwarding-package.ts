import { apiFunction } from '../lib/api.js';
import { json } from '../lib/http.js';
import { buildPackage, packageDownload } from '../use-cases/forwarding-package.js';
import { exportPersonalData } from '../use-cases/personal-data-export.js';
import { wiring } from '../wiring/compose.js';
import { campaignStore, jobRunner, jobs, publicFiles, reviews, uploads, workflow } from '../wiring/parts.js';

const deps = wiring({ publicFiles, workflow, reviews, campaignStore, jobs, jobRunner, uploads });

/**
 * The forwarding package (every forwarded nomination's Word form, scan and photos, and the
 * summary XLSX, as one ZIP), and one person's copy of their data (a nomination's JSON and files). A function of its own: it bundles docx, exceljs and fflate, and holds
 * whole files in memory.
 */
export const handler = apiFunction(
  'forwarding-package',
  {
    'POST /api/campaigns/{campaignId}/package': async ({ actor, params }) =>
      json(201, await buildPackage(deps, actor, params.campaignId ?? '')),
    'POST /api/nominations/{id}/personal-data': async ({ actor, params }) =>
      json(201, await exportPersonalData(deps, actor, params.id ?? '')),
    'GET /api/campaigns/{campaignId}/package': async ({ actor, params }) =>
      json(200, await packageDownload(deps, actor, params.campaignId ?? ''), { 'cache-control': 'no-store' }),
  },
  deps.gate,
);
