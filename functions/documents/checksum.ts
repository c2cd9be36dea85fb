import { createHash } from 'node:crypto';

/** SHA-256 of a file's bytes, base64, as S3 writes `x-amz-checksum-sha256`. */
export const sha256Of = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('base64');
