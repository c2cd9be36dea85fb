import { apiFunction, publicOnly } from '../lib/api.js';
import { originProofOnce } from '../lib/config.js';
import { json } from '../lib/http.js';

/**
 * Built on the first request, not at import: the document loads every route's schemas and the
 * four forms, which a cold start need not pay before anyone asks for it.
 */
let document: Promise<Record<string, unknown>> | undefined;
const theDocument = () => {
  document ??= import('../lib/api-spec.js').then(({ openApiDocument }) => openApiDocument());
  return document;
};

/** The API description, generated from the route table and the schemas the handlers use. */
export const handler = apiFunction(
  'openapi',
  {
    'GET /api/openapi.json': async () =>
      json(200, await theDocument(), { 'cache-control': 'public, max-age=300' }),
  },
  publicOnly(originProofOnce),
);
