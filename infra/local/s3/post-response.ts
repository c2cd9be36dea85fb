import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestId, xmlElement } from './s3-error.js';
import { keyPath } from './upstream.js';

/**
 * S3's answer to a stored browser upload: a 303 to `success_action_redirect` when one is given,
 * else the `success_action_status` asked for (201 with a PostResponse document, 200, or the
 * default 204). The ETag and Location headers are what a page reads back.
 */
export function answerStored(
  req: IncomingMessage,
  res: ServerResponse,
  fields: ReadonlyMap<string, string>,
  stored: { bucket: string; key: string; etag: string },
): void {
  const location = `http://${req.headers.host ?? 'localhost'}${keyPath(stored.bucket, stored.key)}`;
  const id = requestId();
  const redirect = fields.get('success_action_redirect') ?? fields.get('redirect');
  if (redirect && URL.canParse(redirect)) {
    const target = new URL(redirect);
    target.searchParams.append('bucket', stored.bucket);
    target.searchParams.append('key', stored.key);
    target.searchParams.append('etag', stored.etag);
    res.writeHead(303, { location: target.href, etag: stored.etag, 'x-amz-request-id': id });
    res.end();
    return;
  }
  // S3 answers 204 unless 200 or 201 is asked for; anything else also gets 204.
  const status = fields.get('success_action_status');
  if (status === '201') {
    const body =
      '<?xml version="1.0" encoding="UTF-8"?>\n<PostResponse>' +
      xmlElement('Location', location) +
      xmlElement('Bucket', stored.bucket) +
      xmlElement('Key', stored.key) +
      xmlElement('ETag', stored.etag) +
      '</PostResponse>';
    res.writeHead(201, {
      'content-type': 'application/xml',
      'content-length': Buffer.byteLength(body),
      etag: stored.etag,
      location,
      'x-amz-request-id': id,
    });
    res.end(body);
    return;
  }
  res.writeHead(status === '200' ? 200 : 204, { etag: stored.etag, location, 'x-amz-request-id': id });
  res.end();
}
