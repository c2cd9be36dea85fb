import type { IncomingMessage, ServerResponse } from 'node:http';
import { S3Error } from './s3-error.js';

export type CorsOrigins = readonly string[] | '*';

const ALLOWED_METHODS = 'GET, HEAD, PUT, POST, DELETE';
/** Headers a web page may read from our answers: the ETag of an upload above all. */
const EXPOSED_HEADERS = 'ETag, Location, x-amz-request-id, x-amz-version-id';
const MAX_AGE_SECONDS = '3000';

/** The Access-Control-Allow-Origin value for this origin, or undefined if it is not allowed. */
function allowedOrigin(origin: string | undefined, origins: CorsOrigins): string | undefined {
  if (!origin) return undefined;
  if (origins === '*') return '*';
  return origins.includes(origin) ? origin : undefined;
}

/**
 * Adds CORS headers to an actual (non-preflight) answer, as S3 does for a bucket whose CORS
 * rule matches the Origin. Set before the answer is written, so errors carry them too and a
 * page can read S3's XML error.
 */
export function addCorsHeaders(req: IncomingMessage, res: ServerResponse, origins: CorsOrigins): void {
  res.setHeader('vary', 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method');
  const allow = allowedOrigin(req.headers.origin, origins);
  if (!allow) return;
  res.setHeader('access-control-allow-origin', allow);
  res.setHeader('access-control-allow-methods', ALLOWED_METHODS);
  res.setHeader('access-control-expose-headers', EXPOSED_HEADERS);
  res.setHeader('access-control-max-age', MAX_AGE_SECONDS);
  // Credentials may not be allowed together with the `*` origin.
  if (allow !== '*') res.setHeader('access-control-allow-credentials', 'true');
}

/** Answers an OPTIONS preflight, with S3's errors when it lacks what S3 needs or is not allowed. */
export function answerPreflight(req: IncomingMessage, res: ServerResponse, origins: CorsOrigins): void {
  const origin = req.headers.origin;
  const method = req.headers['access-control-request-method'];
  if (!origin) throw new S3Error('BadRequest', 'Insufficient information. Origin request header needed.');
  if (!method) throw new S3Error('BadRequest', 'Invalid Access-Control-Request-Method: null');
  if (!allowedOrigin(origin, origins) || !ALLOWED_METHODS.split(', ').includes(method.toUpperCase())) {
    throw new S3Error(
      'CORSResponse',
      'This CORS request is not allowed. This is usually because the evalution of Origin, request method / ' +
        "Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
    );
  }
  // Any header the page asks to send is allowed, like an S3 CORS rule with AllowedHeader "*".
  const requested = req.headers['access-control-request-headers'];
  if (requested) res.setHeader('access-control-allow-headers', requested);
  res.writeHead(200, { 'content-length': 0 });
  res.end();
}
