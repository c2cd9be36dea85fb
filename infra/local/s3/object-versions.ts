import { type IncomingHttpHeaders, request, type ServerResponse } from 'node:http';
import { xmlElement } from './s3-error.js';
import { keyPath, type StoredAnswer, type Upstream } from './upstream.js';
import { isLaurelMeta, versionKey, versionsBucket } from './versions.js';

/**
 * ListObjectVersions and DeleteObject with a `versionId`, as a versioned S3 bucket answers them,
 * over the hidden companion bucket (versions.ts) where every version is kept as
 * `<version id>/<key>`. Deleting a version removes it for good; deleting the current version
 * makes the newest remaining one current again, as S3 does. Without these, a removed key would
 * keep every earlier version readable — and a deletion job could not be shown to leave none.
 * Not modelled: delete markers (a plain DELETE removes the current object and writes no marker;
 * markers hold no data) and the `s3:prefix` condition of ListBucketVersions.
 */

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n';
const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const META_VERSION = 'x-amz-meta-laurel-version-id';

/** One request to s3rver, its whole answer read (listings and single objects here are small). */
function call(
  upstream: Upstream,
  method: string,
  path: string,
  body?: Buffer,
  headers: Record<string, string> = {},
) {
  return new Promise<StoredAnswer>((resolve, reject) => {
    const outgoing = request({
      host: upstream.host,
      port: upstream.port,
      agent: upstream.agent,
      method,
      path,
      headers: body ? { ...headers, 'content-length': String(body.length) } : headers,
    });
    outgoing.on('response', (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () =>
        resolve({ status: answer.statusCode ?? 500, headers: answer.headers, body: Buffer.concat(chunks) }),
      );
      answer.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

const unescapeXml = (text: string) =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
const field = (xml: string, name: string) =>
  unescapeXml(new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml)?.[1] ?? '');

interface Listed {
  key: string;
  lastModified: string;
  etag: string;
  size: number;
}

/** Every object of a bucket whose key starts with `prefix`, through s3rver's ListObjectsV2, page by page. */
async function listAll(upstream: Upstream, bucket: string, prefix = ''): Promise<Listed[]> {
  const out: Listed[] = [];
  let token: string | undefined;
  do {
    const query = new URLSearchParams({
      'list-type': '2',
      prefix,
      ...(token ? { 'continuation-token': token } : {}),
    });
    const answer = await call(upstream, 'GET', `/${encodeURIComponent(bucket)}?${query}`);
    if (answer.status === 404) return out;
    if (answer.status !== 200) throw new Error(`local S3: listing ${bucket} answered ${answer.status}`);
    const xml = answer.body.toString('utf8');
    for (const [, inner = ''] of xml.matchAll(/<Contents>([\s\S]*?)<\/Contents>/g)) {
      out.push({
        key: field(inner, 'Key'),
        lastModified: field(inner, 'LastModified'),
        etag: field(inner, 'ETag'),
        size: Number(field(inner, 'Size')),
      });
    }
    token = field(xml, 'IsTruncated') === 'true' ? field(xml, 'NextContinuationToken') : undefined;
  } while (token);
  return out;
}

export interface VersionEntry extends Listed {
  versionId: string;
  isLatest: boolean;
}

/** The version id of the key's current object, or undefined when the key has none. */
async function currentVersionId(
  upstream: Upstream,
  bucket: string,
  key: string,
): Promise<string | undefined> {
  const head = await call(upstream, 'HEAD', keyPath(bucket, key));
  if (head.status !== 200) return undefined;
  const id = head.headers[META_VERSION];
  return typeof id === 'string' ? id : undefined;
}

/** Every version of every key under `prefix`: by key, newest first within a key, as S3 lists them. */
export async function versionsUnder(
  upstream: Upstream,
  bucket: string,
  prefix: string,
): Promise<VersionEntry[]> {
  const stored = await listAll(upstream, versionsBucket(bucket));
  const versions = stored.flatMap((object) => {
    const slash = object.key.indexOf('/');
    const key = object.key.slice(slash + 1);
    return slash > 0 && key.startsWith(prefix)
      ? [{ ...object, key, versionId: object.key.slice(0, slash) }]
      : [];
  });
  const keys = [...new Set(versions.map((v) => v.key))];
  const current = new Map(
    await Promise.all(keys.map(async (key) => [key, await currentVersionId(upstream, bucket, key)] as const)),
  );
  return versions
    .map((v) => ({ ...v, isLatest: current.get(v.key) === v.versionId }))
    .sort((a, b) =>
      a.key !== b.key
        ? a.key < b.key
          ? -1
          : 1
        : b.lastModified.localeCompare(a.lastModified) || Number(b.isLatest) - Number(a.isLatest),
    );
}

/** GET /<bucket>?versions: S3's ListVersionsResult, with `prefix`, `max-keys` and the two markers. */
export async function answerListVersions(
  res: ServerResponse,
  upstream: Upstream,
  bucket: string,
  query: URLSearchParams,
): Promise<void> {
  const prefix = query.get('prefix') ?? '';
  const maxKeys = Math.min(Math.max(Number(query.get('max-keys') ?? 1000) || 1000, 1), 1000);
  const keyMarker = query.get('key-marker') ?? '';
  const versionIdMarker = query.get('version-id-marker') ?? '';
  const all = await versionsUnder(upstream, bucket, prefix);
  let start = 0;
  if (keyMarker) {
    const markerAt = versionIdMarker
      ? all.findIndex((v) => v.key === keyMarker && v.versionId === versionIdMarker)
      : -1;
    start = markerAt >= 0 ? markerAt + 1 : all.findIndex((v) => v.key > keyMarker);
    if (start < 0) start = all.length;
  }
  const page = all.slice(start, start + maxKeys);
  const truncated = start + maxKeys < all.length;
  const last = page.at(-1);
  const versions = page
    .map(
      (v) =>
        `<Version>${xmlElement('Key', v.key)}${xmlElement('VersionId', v.versionId)}${xmlElement('IsLatest', String(v.isLatest))}${xmlElement('LastModified', v.lastModified)}${xmlElement('ETag', v.etag)}${xmlElement('Size', v.size)}<StorageClass>STANDARD</StorageClass></Version>`,
    )
    .join('');
  const body = `${XML_HEAD}<ListVersionsResult xmlns="${S3_NS}">${xmlElement('Name', bucket)}${xmlElement('Prefix', prefix)}${xmlElement('KeyMarker', keyMarker)}${xmlElement('VersionIdMarker', versionIdMarker)}${xmlElement('MaxKeys', maxKeys)}${xmlElement('IsTruncated', String(truncated))}${
    truncated && last
      ? `${xmlElement('NextKeyMarker', last.key)}${xmlElement('NextVersionIdMarker', last.versionId)}`
      : ''
  }${versions}</ListVersionsResult>`;
  res.writeHead(200, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** The headers a stored version is written back with when it becomes current again. */
function restoredHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value !== 'string') continue;
    if (name === 'content-type' || name.startsWith('x-amz-meta-') || isLaurelMeta(name)) out[name] = value;
  }
  return out;
}

/**
 * DELETE /<bucket>/<key>?versionId=: that version is gone for good (204, naming it, whether or
 * not it existed, as S3 answers). When it was the current one, the newest remaining version
 * becomes current; when none remains, the key has no object.
 */
export async function answerDeleteVersion(
  res: ServerResponse,
  upstream: Upstream,
  target: { bucket: string; key: string; versionId: string },
): Promise<void> {
  const { bucket, key, versionId } = target;
  const wasCurrent = (await currentVersionId(upstream, bucket, key)) === versionId;
  await call(upstream, 'DELETE', keyPath(versionsBucket(bucket), versionKey(versionId, key)));
  if (wasCurrent) {
    const [newest] = (await versionsUnder(upstream, bucket, key)).filter((v) => v.key === key);
    if (!newest) {
      await call(upstream, 'DELETE', keyPath(bucket, key));
    } else {
      const kept = await call(
        upstream,
        'GET',
        keyPath(versionsBucket(bucket), versionKey(newest.versionId, key)),
      );
      await call(upstream, 'PUT', keyPath(bucket, key), kept.body, restoredHeaders(kept.headers));
    }
  }
  res.writeHead(204, { 'x-amz-version-id': versionId });
  res.end();
}
