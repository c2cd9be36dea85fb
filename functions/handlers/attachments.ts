import { randomBytes } from 'node:crypto';
import { s3UploadStorage } from '../adapters/upload-storage.js';
import { inspectUpload } from '../documents/inspect-upload.js';
import { createAwsClients } from '../lib/aws.js';
import { loadConfig } from '../lib/config.js';
import { httpHandler, json } from '../lib/http.js';
import { nominationDeps } from '../lib/nomination-deps.js';
import { authenticator } from '../lib/session.js';
import { nominationView } from '../rules/nomination-view.js';
import { recordAttachment, type UploadDeps } from '../use-cases/uploads.js';

const config = loadConfig();
const clients = createAwsClients(config);
const authenticate = authenticator(clients, config);
const { deps: nominationBase } = nominationDeps(clients, config);
const deps: UploadDeps = {
  ...nominationBase,
  uploads: s3UploadStorage(clients.s3, config.uploadsBucket),
  inspect: inspectUpload,
  ids: { ...nominationBase.ids, attachmentId: () => `a-${randomBytes(12).toString('hex')}` },
};

/**
 * POST /api/nominations/{id}/attachments — record a file the browser uploaded (uploads.ts gave it
 * the presigned POST) after reading it back and checking its content: the PDF parses, the photo
 * decodes. A function of its own: pdf-lib and the image decoders are most of its bundle, and it
 * holds the whole file in memory.
 */
export const handler = httpHandler<unknown>(
  async (event) => {
    const actor = await authenticate(event);
    const nomination = await recordAttachment(deps, actor, event.pathParameters?.id ?? '', event.body);
    return json(200, nominationView(nomination));
  },
  { body: 'json' },
);
