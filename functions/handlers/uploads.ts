import { apiFunction } from '../lib/api.js';
import { json } from '../lib/http.js';
import { nominationView } from '../rules/nomination-view.js';
import { parseInput } from '../rules/validation.js';
import { requestSocietyScanUpload } from '../use-cases/endorsement.js';
import { versionOnlySchema } from '../use-cases/nominations.js';
import { removeAttachment, requestUpload } from '../use-cases/uploads.js';
import { wiring } from '../wiring/compose.js';
import { campaignStore, workflow } from '../wiring/parts.js';
import { uploads } from '../wiring/upload-parts.js';

const deps = wiring({ workflow, uploads, campaignStore });

/**
 * A presigned POST for one file of one kind, and the removal of one. Recording an uploaded file
 * (which inspects its content) is attachments.ts: PDF and image decoders would otherwise be most
 * of this function.
 */
export const handler = apiFunction(
  'uploads',
  {
    'POST /api/nominations/{id}/uploads': async ({ actor, params, body }) =>
      json(201, await requestUpload(deps, actor, params.id ?? '', body)),
    'DELETE /api/nominations/{id}/attachments/{attachmentId}': async ({ actor, params, query }) => {
      const { version } = parseInput(
        versionOnlySchema(),
        { version: Number(query.version) },
        { zh: '删除附件', en: 'attachment removal' },
      );
      const nomination = await removeAttachment(
        deps,
        actor,
        params.id ?? '',
        params.attachmentId ?? '',
        version,
      );
      return json(200, nominationView(nomination));
    },
    'POST /api/campaigns/{campaignId}/forwarded/{nominationId}/stamped-scan/uploads': async ({
      actor,
      params,
      body,
    }) =>
      json(
        201,
        await requestSocietyScanUpload(deps, actor, params.campaignId ?? '', params.nominationId ?? '', body),
      ),
  },
  deps.gate,
);
