import { inspectUpload } from '../documents/inspect-upload.js';
import { apiFunction } from '../lib/api.js';
import { json } from '../lib/http.js';
import { nominationView } from '../rules/nomination-view.js';
import { recordSocietyScan, societyEndorsement } from '../use-cases/endorsement.js';
import { recordAttachment, recordedNomination } from '../use-cases/uploads.js';
import { wiring } from '../wiring/compose.js';
import { campaignStore, workflow } from '../wiring/parts.js';
import { uploads } from '../wiring/upload-parts.js';

const deps = wiring({ workflow, uploads, campaignStore });

/**
 * A caller that asks for the minimal answer (RFC 7240 `Prefer: return=minimal`: today's page, the
 * drivers) gets the file's record and the nomination's version, and nothing more is read. Any
 * other — a page loaded before the answer changed, still open during a deploy — gets the whole
 * nomination as it always did, read after the write: that page reads its files from it, and would
 * take a missing list for a failed upload and upload the file again.
 */
const prefersMinimal = (headers: Readonly<Record<string, string | undefined>> | undefined): boolean =>
  (headers?.prefer ?? '')
    .split(',')
    .some((preference) => preference.split(';')[0]?.trim().toLowerCase() === 'return=minimal');

/**
 * Records a file the browser uploaded (uploads.ts gave it the presigned POST) after reading it
 * back and checking its content: the PDF parses, the photo decodes. A function of its own:
 * pdf-lib and the image decoders are most of its bundle, and it holds the whole file in memory.
 */
export const handler = apiFunction(
  'attachments',
  {
    // The file's record and the nomination's version, which the page adds to what it shows; the
    // whole nomination for a caller that did not ask for less (prefersMinimal).
    'POST /api/nominations/{id}/attachments': async ({ actor, params, body, event }) => {
      const id = params.id ?? '';
      const recorded = await recordAttachment({ ...deps, inspect: inspectUpload }, actor, id, body);
      if (prefersMinimal(event.headers)) {
        return json(200, recorded, { 'preference-applied': 'return=minimal' });
      }
      return json(200, nominationView(await recordedNomination(deps, actor, id)));
    },
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
