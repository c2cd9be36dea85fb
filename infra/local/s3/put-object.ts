import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { STORED_AS_HEADERS, spool } from './post-upload.js';
import { S3Error } from './s3-error.js';
import type { Upstream } from './upstream.js';
import { isLaurelMeta, storeVersion } from './versions.js';

/** S3's largest single PUT. */
const MAX_PUT_BYTES = 5 * 1024 ** 3;

/**
 * A header-signed PutObject: the body is spooled to disk, its checksums (when sent) verified,
 * and it is stored as a new version of the key. The answer carries the version id and the
 * checksums, as S3's does.
 */
export async function handlePutObject(
  req: IncomingMessage,
  res: ServerResponse,
  context: { bucket: string; key: string; upstream: Upstream; spoolDir: string },
): Promise<void> {
  if (/aws-chunked/i.test(req.headers['content-encoding'] ?? '')) {
    // The SDK sends aws-chunked bodies only with checksums in trailers, which Laurel never asks for.
    throw new S3Error('InvalidArgument', 'aws-chunked uploads are not supported by the local S3.', {
      ArgumentName: 'Content-Encoding',
    });
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value !== 'string' || isLaurelMeta(name)) continue;
    if (STORED_AS_HEADERS.has(name) || name.startsWith('x-amz-meta-')) headers[name] = value;
  }
  const spoolPath = join(context.spoolDir, randomUUID());
  try {
    const size = await spool(req, spoolPath, MAX_PUT_BYTES);
    const sent = (name: string) => {
      const value = req.headers[name];
      return typeof value === 'string' ? value : undefined;
    };
    const { answer, versionId, checksums } = await storeVersion(
      context.upstream,
      { bucket: context.bucket, key: context.key, headers },
      { path: spoolPath, size },
      sent,
    );
    if (answer.status !== 200) {
      res.writeHead(answer.status, {
        'content-type': answer.headers['content-type'] ?? 'application/xml',
        'content-length': answer.body.length,
      });
      res.end(answer.body);
      return;
    }
    const out: Record<string, string> = { 'x-amz-version-id': versionId, 'content-length': '0' };
    if (answer.headers.etag) out.etag = answer.headers.etag;
    for (const [algorithm, value] of Object.entries(checksums)) out[`x-amz-checksum-${algorithm}`] = value;
    res.writeHead(200, out);
    res.end();
  } finally {
    await rm(spoolPath, { force: true });
  }
}
