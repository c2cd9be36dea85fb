import { randomBytes } from 'node:crypto';
import { s3UploadStorage } from '../adapters/upload-storage.js';
import { createAwsClients } from '../lib/aws.js';
import { loadConfig } from '../lib/config.js';
import { httpHandler, json } from '../lib/http.js';
import { nominationDeps } from '../lib/nomination-deps.js';
import { authenticator } from '../lib/session.js';
import { nominationView } from '../rules/nomination-view.js';
import { parseInput } from '../rules/validation.js';
import { versionOnlySchema } from '../use-cases/nominations.js';
import { removeAttachment, requestUpload, type UploadDeps } from '../use-cases/uploads.js';

const config = loadConfig();
const clients = createAwsClients(config);
const authenticate = authenticator(clients, config);
const { deps: nominationBase } = nominationDeps(clients, config);
const deps: Omit<UploadDeps, 'inspect'> = {
  ...nominationBase,
  uploads: s3UploadStorage(clients.s3, config.uploadsBucket),
  ids: { ...nominationBase.ids, attachmentId: () => `a-${randomBytes(12).toString('hex')}` },
};

/**
 * POST /api/nominations/{id}/uploads — a presigned POST for one file of one kind.
 * DELETE /api/nominations/{id}/attachments/{attachmentId}?version=N — remove one.
 * Recording an uploaded file (which inspects its content) is attachments.ts: PDF and image
 * decoders would otherwise be most of this function.
 */
export const handler = httpHandler<unknown>(
  async (event) => {
    const actor = await authenticate(event);
    const id = event.pathParameters?.id ?? '';
    switch (event.routeKey) {
      case 'POST /api/nominations/{id}/uploads':
        return json(201, await requestUpload(deps, actor, id, event.body));
      default: {
        const { version } = parseInput(
          versionOnlySchema,
          { version: Number(event.queryStringParameters?.version) },
          { zh: '删除附件', en: 'attachment removal' },
        );
        const nomination = await removeAttachment(
          deps,
          actor,
          id,
          event.pathParameters?.attachmentId ?? '',
          version,
        );
        return json(200, nominationView(nomination));
      }
    }
  },
  { body: 'json' },
);
