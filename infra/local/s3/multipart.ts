import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { STORED_AS_HEADERS, spool } from './post-upload.js';
import { S3Error, xmlElement } from './s3-error.js';
import type { Upstream } from './upstream.js';
import { isLaurelMeta, storeVersion, verifiedChecksums } from './versions.js';

/**
 * Multipart uploads (the forwarding package streams into S3 this way), kept by the gateway so
 * the completed object is a new version of its key like any other write — s3rver would store it
 * unversioned — and refused where S3 refuses: an unknown upload (NoSuchUpload), parts out of
 * order or not as uploaded (InvalidPartOrder, InvalidPart), a part other than the last under
 * 5 MiB (EntityTooSmall), a part number outside 1–10,000, a part over 5 GiB.
 */

export type MultipartAction = 'create' | 'part' | 'complete' | 'abort';

/** Which multipart operation a request is, from its method and query (S3's REST API). */
export function multipartActionOf(method: string, query: URLSearchParams): MultipartAction | undefined {
  if (method === 'POST' && query.has('uploads')) return 'create';
  if (!query.has('uploadId')) return undefined;
  if (method === 'PUT' && query.has('partNumber')) return 'part';
  if (method === 'POST') return 'complete';
  if (method === 'DELETE') return 'abort';
  return undefined;
}

/** S3's least part size, but for the last part. */
export const MIN_PART_BYTES = 5 * 1024 * 1024;
const MAX_PART_BYTES = 5 * 1024 ** 3;
const MAX_PARTS = 10_000;

interface Upload {
  bucket: string;
  key: string;
  headers: Record<string, string>;
  dir: string;
  parts: Map<number, { etag: string; size: number }>;
}

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n';
const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

const noSuchUpload = () =>
  new S3Error(
    'NoSuchUpload',
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
  );

export function multipartUploads(context: { upstream: Upstream; spoolDir: string }) {
  const uploads = new Map<string, Upload>();

  const uploadOf = (query: URLSearchParams, bucket: string, key: string): [string, Upload] => {
    const id = query.get('uploadId') ?? '';
    const upload = uploads.get(id);
    if (!upload || upload.bucket !== bucket || upload.key !== key) throw noSuchUpload();
    return [id, upload];
  };

  const sendXml = (res: ServerResponse, body: string, headers: Record<string, string> = {}) => {
    res.writeHead(200, {
      'content-type': 'application/xml',
      'content-length': Buffer.byteLength(body),
      ...headers,
    });
    res.end(body);
  };

  async function create(req: IncomingMessage, res: ServerResponse, bucket: string, key: string) {
    req.resume();
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value !== 'string' || isLaurelMeta(name)) continue;
      if (STORED_AS_HEADERS.has(name) || name.startsWith('x-amz-meta-')) headers[name] = value;
    }
    const id = randomBytes(24).toString('base64url');
    const dir = join(context.spoolDir, `multipart-${id}`);
    await mkdir(dir, { recursive: true });
    uploads.set(id, { bucket, key, headers, dir, parts: new Map() });
    sendXml(
      res,
      `${XML_HEAD}<InitiateMultipartUploadResult xmlns="${S3_NS}">${xmlElement('Bucket', bucket)}${xmlElement('Key', key)}${xmlElement('UploadId', id)}</InitiateMultipartUploadResult>`,
    );
  }

  async function part(req: IncomingMessage, res: ServerResponse, upload: Upload, query: URLSearchParams) {
    const number = Number(query.get('partNumber'));
    if (!Number.isInteger(number) || number < 1 || number > MAX_PARTS) {
      req.resume();
      throw new S3Error(
        'InvalidArgument',
        `Part number must be an integer between 1 and ${MAX_PARTS}, inclusive`,
        {
          ArgumentName: 'partNumber',
          ArgumentValue: query.get('partNumber') ?? '',
        },
      );
    }
    if (/aws-chunked/i.test(req.headers['content-encoding'] ?? '')) {
      req.resume();
      throw new S3Error('InvalidArgument', 'aws-chunked uploads are not supported by the local S3.', {
        ArgumentName: 'Content-Encoding',
      });
    }
    const path = join(upload.dir, String(number));
    const size = await spool(req, path, MAX_PART_BYTES);
    await verifiedChecksums(path, (name) => {
      const value = req.headers[name];
      return typeof value === 'string' ? value : undefined;
    });
    const etag = `"${await md5Of(path)}"`;
    upload.parts.set(number, { etag, size });
    res.writeHead(200, { etag, 'content-length': '0' });
    res.end();
  }

  async function complete(req: IncomingMessage, res: ServerResponse, id: string, upload: Upload) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const listed = partsOf(Buffer.concat(chunks).toString('utf8'));
    if (listed.length === 0) {
      throw new S3Error(
        'MalformedXML',
        'The XML you provided was not well-formed or did not validate against our published schema.',
      );
    }
    // The order first, then each part: S3 names the first thing wrong with the list as a whole.
    listed.forEach((p, i) => {
      if (i > 0 && p.number <= (listed[i - 1]?.number ?? 0)) {
        throw new S3Error(
          'InvalidPartOrder',
          'The list of parts was not in ascending order. The parts list must be specified in order by part number.',
        );
      }
    });
    listed.forEach((p, i) => {
      const stored = upload.parts.get(p.number);
      if (!stored || stored.etag.replace(/"/g, '') !== p.etag.replace(/"/g, '')) {
        throw new S3Error(
          'InvalidPart',
          "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
          {
            PartNumber: p.number,
          },
        );
      }
      if (i < listed.length - 1 && stored.size < MIN_PART_BYTES) {
        throw new S3Error(
          'EntityTooSmall',
          'Your proposed upload is smaller than the minimum allowed object size.',
          {
            ProposedSize: stored.size,
            MinSizeAllowed: MIN_PART_BYTES,
            PartNumber: p.number,
          },
        );
      }
    });
    const whole = join(upload.dir, 'whole');
    for (const p of listed) {
      await pipeline(
        createReadStream(join(upload.dir, String(p.number))),
        createWriteStream(whole, { flags: 'a' }),
      );
    }
    const { size } = await stat(whole);
    const { answer, versionId } = await storeVersion(
      context.upstream,
      { bucket: upload.bucket, key: upload.key, headers: upload.headers },
      { path: whole, size },
      () => undefined,
    );
    if (answer.status !== 200)
      throw new S3Error('InternalError', 'The local S3 store did not keep the object.');
    uploads.delete(id);
    await rm(upload.dir, { recursive: true, force: true });
    // S3's ETag of a multipart object: the MD5 of the parts' MD5s, then the number of parts.
    const digest = createHash('md5');
    for (const p of listed) digest.update(Buffer.from(p.etag.replace(/"/g, ''), 'hex'));
    const etag = `"${digest.digest('hex')}-${listed.length}"`;
    sendXml(
      res,
      `${XML_HEAD}<CompleteMultipartUploadResult xmlns="${S3_NS}">${xmlElement('Bucket', upload.bucket)}${xmlElement('Key', upload.key)}${xmlElement('ETag', etag)}</CompleteMultipartUploadResult>`,
      { 'x-amz-version-id': versionId },
    );
  }

  return {
    async handle(
      action: MultipartAction,
      req: IncomingMessage,
      res: ServerResponse,
      target: { bucket: string; key: string; query: URLSearchParams },
    ): Promise<void> {
      const { bucket, key, query } = target;
      if (action === 'create') return create(req, res, bucket, key);
      const [id, upload] = uploadOf(query, bucket, key);
      if (action === 'part') return part(req, res, upload, query);
      if (action === 'complete') return complete(req, res, id, upload);
      req.resume();
      uploads.delete(id);
      await rm(upload.dir, { recursive: true, force: true });
      res.writeHead(204);
      res.end();
    },
  };
}

async function md5Of(path: string): Promise<string> {
  const hash = createHash('md5');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The parts a CompleteMultipartUpload body lists, in its order. */
function partsOf(xml: string): { number: number; etag: string }[] {
  const unescapeXml = (text: string) =>
    text
      .replace(/&quot;/g, '"')
      .replace(/&#34;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  return [...xml.matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map(([, inner = '']) => ({
    number: Number(/<PartNumber>\s*(\d+)\s*<\/PartNumber>/.exec(inner)?.[1] ?? Number.NaN),
    etag: unescapeXml(/<ETag>([\s\S]*?)<\/ETag>/.exec(inner)?.[1] ?? ''),
  }));
}
