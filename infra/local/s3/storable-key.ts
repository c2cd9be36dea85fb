import { S3Error } from './s3-error.js';

/**
 * S3 keys are literal strings, but s3rver stores each key as a file path, so a `.` or `..`
 * segment would land the object elsewhere — even outside the data folder. Such keys are
 * refused here; real S3 would accept them, no Laurel key has one.
 */
export function assertStorableKey(key: string): void {
  if (key.split('/').some((segment) => segment === '.' || segment === '..')) {
    throw new S3Error(
      'InvalidArgument',
      'Keys with "." or ".." path segments are not supported by the local S3.',
      {
        ArgumentName: 'key',
        ArgumentValue: key,
      },
    );
  }
}
