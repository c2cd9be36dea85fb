import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { PUBLISHED_PREFIX } from '../grants.js';
import type { PublicFiles } from '../ports/public-files.js';

/**
 * The public lists in the web bucket under published/. CloudFront caches them for a minute
 * (max-age=60 within CACHING_OPTIMIZED's bounds), so a list published again after an objection
 * is seen within a minute without an invalidation; every other visit is an edge hit.
 */
export const PUBLISHED_CACHE_CONTROL = 'public, max-age=60';

export function s3PublicFiles(s3: S3Client, bucket: string): PublicFiles {
  return {
    async publish(path, body, contentType) {
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: `${PUBLISHED_PREFIX}${path}`,
          Body: body,
          ContentType: contentType,
          CacheControl: PUBLISHED_CACHE_CONTROL,
        }),
      );
    },
  };
}
