import type { FileEraser } from '../../../functions/ports/erasure.js';
import type { Clock } from '../../../functions/ports/system.js';
import type { UploadStorage } from '../../../functions/ports/uploads.js';

/**
 * The uploads bucket (functions/adapters/upload-storage.ts) in memory, holding bytes. A presigned
 * POST is kept as its policy; `post` is the browser's upload with it, and — like S3 — refuses a
 * file outside the policy's size range, of another content type, or after the policy expired.
 * `read` answers undefined for a key with nothing under it, as the adapter does for NoSuchKey.
 */

export const BUCKET_URL = 'memory://laurel-uploads/';

interface Policy {
  key: string;
  contentType: string;
  minBytes: number;
  maxBytes: number;
  expiresAt: number;
}

export class S3Refusal extends Error {
  constructor(
    readonly code: 'AccessDenied' | 'EntityTooSmall' | 'EntityTooLarge' | 'InvalidPolicyDocument',
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = code;
  }
}

export interface MemoryUploadStorage extends UploadStorage, FileEraser {
  /** Test access: how many versions are kept under a prefix (current or not). */
  versionCount(prefix: string): number;
  /** The browser's POST with a presigned policy's fields; S3's refusals as S3Refusal. */
  post(fields: Record<string, string>, body: Uint8Array, contentType?: string): Promise<void>;
  /** The bytes a presigned GET URL (from `presignGet`) downloads. */
  download(url: string): Uint8Array | undefined;
  /** Test access: every key stored, sorted. */
  keys(): string[];
  contentType(key: string): string | undefined;
}

export function memoryUploadStorage(clock: Clock): MemoryUploadStorage {
  /** Each key's versions, oldest first, as a versioned bucket keeps them; a removal leaves them. */
  const versions = new Map<
    string,
    { versionId: string; body: Uint8Array; contentType: string; at: Date }[]
  >();
  const current = new Map<string, string>();
  const policies = new Map<string, Policy>();
  let made = 0;
  const store = (key: string, body: Uint8Array, contentType: string) => {
    made += 1;
    const versionId = `v${String(made).padStart(31, '0')}`;
    versions.set(key, [
      ...(versions.get(key) ?? []),
      { versionId, body: new Uint8Array(body), contentType, at: clock.now() },
    ]);
    current.set(key, versionId);
    return { key, versionId };
  };
  const find = (key: string, versionId: string | undefined) =>
    versionId === undefined ? undefined : versions.get(key)?.find((v) => v.versionId === versionId);

  return {
    async presignPost({ key, contentType, minBytes, maxBytes, expiresSeconds }) {
      const id = `policy-${policies.size + 1}`;
      policies.set(id, {
        key,
        contentType,
        minBytes,
        maxBytes,
        expiresAt: clock.now().getTime() + expiresSeconds * 1000,
      });
      return { url: BUCKET_URL, fields: { key, 'Content-Type': contentType, Policy: id } };
    },
    async post(fields, body, contentType = fields['Content-Type'] ?? '') {
      const policy = policies.get(fields.Policy ?? '');
      if (!policy || policy.key !== fields.key) {
        throw new S3Refusal('InvalidPolicyDocument', 'the policy does not allow this key');
      }
      if (clock.now().getTime() >= policy.expiresAt) throw new S3Refusal('AccessDenied', 'Policy expired');
      if (contentType !== policy.contentType) {
        throw new S3Refusal(
          'AccessDenied',
          'Invalid according to Policy: Policy Condition failed: Content-Type',
        );
      }
      if (body.byteLength < policy.minBytes) {
        throw new S3Refusal('EntityTooSmall', `${body.byteLength} < ${policy.minBytes}`);
      }
      if (body.byteLength > policy.maxBytes) {
        throw new S3Refusal('EntityTooLarge', `${body.byteLength} > ${policy.maxBytes}`);
      }
      store(policy.key, body, contentType);
    },
    async presignGet({ key, versionId }, downloadName, contentType) {
      const query = new URLSearchParams({
        versionId,
        'response-content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(downloadName)}`,
        'response-content-type': contentType,
      });
      return `${BUCKET_URL}${key}?${query}`;
    },
    download(url) {
      if (!url.startsWith(BUCKET_URL)) return undefined;
      const [key = '', query = ''] = url.slice(BUCKET_URL.length).split('?');
      const versionId = new URLSearchParams(query).get('versionId') ?? current.get(key);
      const object = find(key, versionId ?? undefined);
      return object ? new Uint8Array(object.body) : undefined;
    },
    async read(key) {
      const object = find(key, current.get(key));
      return object ? { key, versionId: object.versionId, bytes: new Uint8Array(object.body) } : undefined;
    },
    async readVersion({ key, versionId }) {
      const object = find(key, versionId);
      return object ? new Uint8Array(object.body) : undefined;
    },
    async currentVersion(key) {
      const object = find(key, current.get(key));
      return object ? { versionId: object.versionId, lastModified: object.at } : undefined;
    },
    async put(key, body, contentType) {
      return store(key, body, contentType);
    },
    async putStream(key, body, contentType) {
      // Gathered whole here (a test's packages are small); S3's multipart upload streams.
      const chunks: Uint8Array[] = [];
      for await (const chunk of body) chunks.push(chunk);
      const bytes = new Uint8Array(Buffer.concat(chunks));
      return { ...store(key, bytes, contentType), bytes: bytes.byteLength };
    },
    async remove(key) {
      current.delete(key);
    },
    async eraseEveryVersion(prefix) {
      let erased = 0;
      for (const [key, kept] of [...versions]) {
        if (!key.startsWith(prefix)) continue;
        erased += kept.length;
        versions.delete(key);
        current.delete(key);
      }
      return erased;
    },
    versionCount: (prefix) =>
      [...versions].filter(([key]) => key.startsWith(prefix)).reduce((n, [, kept]) => n + kept.length, 0),
    keys: () => [...current.keys()].sort(),
    contentType: (key) => find(key, current.get(key))?.contentType,
  };
}
