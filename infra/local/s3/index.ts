export type { CorsOrigins } from './cors.js';
export {
  LOCAL_S3_CREDENTIALS,
  type RunningS3,
  type S3Credentials,
  type StartS3Options,
  startS3,
} from './start-s3.js';
