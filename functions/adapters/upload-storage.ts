import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { sha256Of } from '../documents/checksum.js';
import type { UploadStorage } from '../ports/uploads.js';

/** S3's answer for a key or version that is not there (GET: NoSuchKey/NoSuchVersion; HEAD: NotFound). */
function isMissing(error: unknown): boolean {
  const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return (
    name === 'NoSuchKey' ||
    name === 'NoSuchVersion' ||
    name === 'NotFound' ||
    $metadata?.httpStatusCode === 404
  );
}

const PART_BYTES = 5 * 1024 * 1024;

/**
 * The uploads bucket. A presigned POST is the only way to bound an upload's size in S3 (a
 * presigned PUT cannot), so the policy carries the exact key, the content type and the size range.
 * The bucket is versioned: reads after recording name the version (see ports/uploads.ts).
 */
export function s3UploadStorage(s3: S3Client, bucket: string): UploadStorage {
  const missingAsUndefined = async <T>(read: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await read();
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  };

  return {
    async presignPost({ key, contentType, minBytes, maxBytes, expiresSeconds }) {
      const { url, fields } = await createPresignedPost(s3, {
        Bucket: bucket,
        Key: key,
        Conditions: [
          ['content-length-range', minBytes, maxBytes],
          ['eq', '$Content-Type', contentType],
        ],
        Fields: { 'Content-Type': contentType },
        Expires: expiresSeconds,
      });
      return { url, fields };
    },
    async presignGet({ key, versionId }, downloadName, contentType) {
      const command = new GetObjectCommand({
        Bucket: bucket,
        Key: key,
        VersionId: versionId,
        // Always a download, never shown inline: nothing in a file runs in the site's pages.
        // RFC 5987: the Chinese file name survives the header.
        ResponseContentDisposition: `attachment; filename*=UTF-8''${encodeURIComponent(downloadName)}`,
        ResponseContentType: contentType,
      });
      return getSignedUrl(s3, command, { expiresIn: 15 * 60 });
    },
    read: (key) =>
      missingAsUndefined(async () => {
        const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        const bytes = object.Body ? await object.Body.transformToByteArray() : new Uint8Array();
        if (!object.VersionId) throw new Error(`uploads bucket ${bucket} is not versioned`);
        return { key, versionId: object.VersionId, bytes };
      }),
    readVersion: ({ key, versionId }) =>
      missingAsUndefined(async () => {
        const object = await s3.send(
          new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }),
        );
        return object.Body ? await object.Body.transformToByteArray() : new Uint8Array();
      }),
    currentVersion: (key) =>
      missingAsUndefined(async () => {
        const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return { versionId: head.VersionId ?? '', lastModified: head.LastModified ?? new Date(0) };
      }),
    async put(key, body, contentType) {
      const written = await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: body,
          ContentType: contentType,
          // S3 refuses the object (BadDigest) unless the bytes it received are these.
          ChecksumSHA256: sha256Of(body),
        }),
      );
      if (!written.VersionId) throw new Error(`uploads bucket ${bucket} is not versioned`);
      return { key, versionId: written.VersionId };
    },
    async putStream(key, body, contentType) {
      let bytes = 0;
      async function* counted() {
        for await (const chunk of body) {
          bytes += chunk.byteLength;
          yield chunk;
        }
      }
      const upload = new Upload({
        client: s3,
        params: { Bucket: bucket, Key: key, Body: Readable.from(counted()), ContentType: contentType },
        // Parts of 5 MiB (S3's least, but for the last), two in flight: ~15 MiB held at most;
        // 10,000 parts (S3's most) of 5 MiB allow a package of 48 GiB.
        partSize: PART_BYTES,
        queueSize: 2,
        // A failed body or part aborts the multipart upload: S3 keeps no parts to pay for.
        leavePartsOnError: false,
      });
      const written = await upload.done();
      if (!written.VersionId) throw new Error(`uploads bucket ${bucket} is not versioned`);
      return { key, versionId: written.VersionId, bytes };
    },
    async remove(key) {
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },
  };
}
