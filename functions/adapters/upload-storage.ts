import {
  DeleteObjectCommand,
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { UploadStorage } from '../ports/uploads.js';

/**
 * The uploads bucket. A presigned POST is the only way to bound an upload's size in S3 (a
 * presigned PUT cannot), so the policy carries the exact key, the content type and the size range.
 */
export function s3UploadStorage(s3: S3Client, bucket: string): UploadStorage {
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
    async presignGet(key, downloadName) {
      const command = new GetObjectCommand({
        Bucket: bucket,
        Key: key,
        // RFC 5987: the Chinese file name survives the header.
        ResponseContentDisposition: `attachment; filename*=UTF-8''${encodeURIComponent(downloadName)}`,
      });
      return getSignedUrl(s3, command, { expiresIn: 15 * 60 });
    },
    async read(key) {
      try {
        const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return object.Body ? await object.Body.transformToByteArray() : undefined;
      } catch (error) {
        if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return undefined;
        throw error;
      }
    },
    async put(key, body, contentType) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
    },
    async remove(key) {
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },
  };
}
