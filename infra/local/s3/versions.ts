import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { crc32 } from 'node:zlib';
import { S3Error } from './s3-error.js';
import { putObject, type StoredAnswer, type Upstream } from './upstream.js';

/**
 * Bucket versioning and object checksums, as S3 keeps them, on top of s3rver (which has
 * neither). Every stored object gets a version id; each version is also kept in a hidden
 * companion bucket under `<version id>/<key>`, so an overwrite or a delete of the key leaves
 * the earlier versions readable by `?versionId=`, as in a versioned S3 bucket. The version id
 * and the checksums a client sent ride on the object as `x-amz-meta-laurel-*` metadata, which
 * s3rver keeps; the gateway turns them back into S3's `x-amz-version-id` and
 * `x-amz-checksum-*` headers and never lets a client set or see them as metadata.
 */

export const VERSIONS_SUFFIX = '--laurel-versions';
export const versionsBucket = (bucket: string) => `${bucket}${VERSIONS_SUFFIX}`;
export const isVersionsBucket = (bucket: string) => bucket.endsWith(VERSIONS_SUFFIX);
export const versionKey = (versionId: string, key: string) => `${versionId}/${key}`;

const META = 'x-amz-meta-laurel-';
const META_VERSION = `${META}version-id`;
const META_CHECKSUM = `${META}checksum-`;

/** The checksum algorithms S3 accepts as `x-amz-checksum-<name>` (CRC64NVME aside), base64 of the digest. */
const ALGORITHMS = ['sha256', 'sha1', 'crc32'] as const;
type Algorithm = (typeof ALGORITHMS)[number];

/** S3's version ids are 32 URL-safe characters. */
export const newVersionId = () => randomBytes(24).toString('base64url');

export const isLaurelMeta = (name: string) => name.toLowerCase().startsWith(META);

async function digests(path: string): Promise<Record<Algorithm, string>> {
  const sha256 = createHash('sha256');
  const sha1 = createHash('sha1');
  let crc = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    sha256.update(chunk);
    sha1.update(chunk);
    crc = crc32(chunk, crc);
  }
  const crcBytes = Buffer.alloc(4);
  crcBytes.writeUInt32BE(crc >>> 0);
  return { sha256: sha256.digest('base64'), sha1: sha1.digest('base64'), crc32: crcBytes.toString('base64') };
}

/**
 * The checksums the client sent (`x-amz-checksum-sha256: <base64>` as a header or a POST form
 * field), each compared with the bytes received: a mismatch is S3's BadDigest and nothing is stored.
 */
export async function verifiedChecksums(
  path: string,
  sent: (name: string) => string | undefined,
): Promise<Partial<Record<Algorithm, string>>> {
  const wanted = ALGORITHMS.filter((a) => sent(`x-amz-checksum-${a}`) !== undefined);
  if (wanted.length === 0) return {};
  const actual = await digests(path);
  const kept: Partial<Record<Algorithm, string>> = {};
  for (const algorithm of wanted) {
    if (sent(`x-amz-checksum-${algorithm}`) !== actual[algorithm]) {
      throw new S3Error(
        'BadDigest',
        `The ${algorithm.toUpperCase()} you specified did not match the calculated checksum.`,
      );
    }
    kept[algorithm] = actual[algorithm];
  }
  return kept;
}

export interface StoredVersion {
  answer: StoredAnswer;
  versionId: string;
  checksums: Partial<Record<Algorithm, string>>;
}

/**
 * Stores a received file (spooled at `file.path`) as a new version of `key`: first the version
 * itself, then the key's current object. A failed write leaves the key as it was.
 */
export async function storeVersion(
  upstream: Upstream,
  target: { bucket: string; key: string; headers: Record<string, string> },
  file: { path: string; size: number },
  sent: (name: string) => string | undefined,
): Promise<StoredVersion> {
  const checksums = await verifiedChecksums(file.path, sent);
  const versionId = newVersionId();
  const headers: Record<string, string> = Object.fromEntries(
    Object.entries(target.headers).filter(([name]) => !isLaurelMeta(name)),
  );
  headers[META_VERSION] = versionId;
  for (const [algorithm, value] of Object.entries(checksums)) headers[`${META_CHECKSUM}${algorithm}`] = value;
  const kept = await putObject(
    upstream,
    { bucket: versionsBucket(target.bucket), key: versionKey(versionId, target.key), headers },
    file,
  );
  if (kept.status !== 200) return { answer: kept, versionId, checksums };
  const answer = await putObject(upstream, { bucket: target.bucket, key: target.key, headers }, file);
  return { answer, versionId, checksums };
}

/**
 * s3rver's answer headers for an object read, as S3 gives them: the version id as
 * `x-amz-version-id`; the stored checksums only when asked for with `x-amz-checksum-mode: ENABLED`.
 */
export function objectAnswerHeaders(
  headers: IncomingHttpHeaders,
  checksumMode: boolean,
): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name === META_VERSION) out['x-amz-version-id'] = value;
    else if (name.startsWith(META_CHECKSUM)) {
      if (checksumMode) out[`x-amz-checksum-${name.slice(META_CHECKSUM.length)}`] = value;
    } else if (!isLaurelMeta(name)) out[name] = value;
  }
  return out;
}
