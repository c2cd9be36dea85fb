import { apiFunction, publicOnly } from '../lib/api.js';
import { openApiDocument } from '../lib/api-spec.js';
import { originProofFrom } from '../lib/config.js';
import { json } from '../lib/http.js';

const document = openApiDocument();

/** The API description, generated from the route table and the schemas the handlers use. */
export const handler = apiFunction(
  'openapi',
  {
    'GET /api/openapi.json': async () => json(200, document, { 'cache-control': 'public, max-age=300' }),
  },
  publicOnly(originProofFrom()),
);
