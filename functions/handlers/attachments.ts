import { inspectUpload } from '../documents/inspect-upload.js';
import { apiFunction } from '../lib/api.js';
import { json } from '../lib/http.js';
import { recordSocietyScan, societyEndorsement } from '../use-cases/endorsement.js';
import { recordAttachment } from '../use-cases/uploads.js';
import { wiring } from '../wiring/compose.js';
import { campaignStore, workflow } from '../wiring/parts.js';
import { uploads } from '../wiring/upload-parts.js';

const deps = wiring({ workflow, uploads, campaignStore });

/**
 * Records a file the browser uploaded (uploads.ts gave it the presigned POST) after reading it
 * back and checking its content: the PDF parses, the photo decodes. A function of its own:
 * pdf-lib and the image decoders are most of its bundle, and it holds the whole file in memory.
 */
export const handler = apiFunction(
  'attachments',
  {
    // The file's record and the nomination's version: the page adds it to what it shows.
    'POST /api/nominations/{id}/attachments': async ({ actor, params, body }) =>
      json(200, await recordAttachment({ ...deps, inspect: inspectUpload }, actor, params.id ?? '', body)),
    'GET /api/campaigns/{campaignId}/forwarded/{nominationId}/endorsement': async ({ actor, params }) =>
      json(200, await societyEndorsement(deps, actor, params.campaignId ?? '', params.nominationId ?? '')),
    // Only the endorsement is answered: the nomination in the parent round holds its task token.
    'PUT /api/campaigns/{campaignId}/forwarded/{nominationId}/stamped-scan': async ({
      actor,
      params,
      body,
    }) => {
      const stamped = await recordSocietyScan(
        { ...deps, inspect: inspectUpload },
        actor,
        params.campaignId ?? '',
        params.nominationId ?? '',
        body,
      );
      return json(200, { endorsement: stamped.endorsement });
    },
  },
  deps.gate,
);
