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

export interface MemoryUploadStorage extends UploadStorage {
  /** The browser's POST with a presigned policy's fields; S3's refusals as S3Refusal. */
  post(fields: Record<string, string>, body: Uint8Array, contentType?: string): Promise<void>;
  /** The bytes a presigned GET URL (from `presignGet`) downloads. */
  download(url: string): Uint8Array | undefined;
  /** Test access: every key stored, sorted. */
  keys(): string[];
  contentType(key: string): string | undefined;
}

export function memoryUploadStorage(clock: Clock): MemoryUploadStorage {
  const objects = new Map<string, { body: Uint8Array; contentType: string }>();
  const policies = new Map<string, Policy>();
  const store = (key: string, body: Uint8Array, contentType: string) =>
    void objects.set(key, { body: new Uint8Array(body), contentType });

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
    async presignGet(key, downloadName) {
      return `${BUCKET_URL}${key}?response-content-disposition=${encodeURIComponent(
        `attachment; filename*=UTF-8''${encodeURIComponent(downloadName)}`,
      )}`;
    },
    download(url) {
      if (!url.startsWith(BUCKET_URL)) return undefined;
      const key = url.slice(BUCKET_URL.length).split('?')[0] ?? '';
      const object = objects.get(key);
      return object ? new Uint8Array(object.body) : undefined;
    },
    async read(key) {
      const object = objects.get(key);
      return object ? new Uint8Array(object.body) : undefined;
    },
    async put(key, body, contentType) {
      store(key, body, contentType);
    },
    async remove(key) {
      objects.delete(key);
    },
    keys: () => [...objects.keys()].sort(),
    contentType: (key) => objects.get(key)?.contentType,
  };
}
