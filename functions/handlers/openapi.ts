import { openApiDocument } from '../lib/api-spec.js';
import { httpHandler, json } from '../lib/http.js';

const document = openApiDocument();

/** GET /api/openapi.json — the API description, generated from the same schemas the handlers use. */
export const handler = httpHandler(async () =>
  json(200, document, { 'cache-control': 'public, max-age=300' }),
);
