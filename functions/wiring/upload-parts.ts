import { s3Client } from '../adapters/aws-clients.js';
import { s3UploadStorage } from '../adapters/upload-storage.js';
import type { UploadStorage } from '../ports/uploads.js';
import type { Part } from './compose.js';
import { campaignStore, jobRunner, jobs, packageRunner, publicFiles, reviews, workflow } from './parts.js';

/**
 * The uploads bucket's part, in a module of its own: its adapter brings S3's presigners and the
 * multipart upload (@aws-sdk/lib-storage, whose modules esbuild keeps for their side effects even
 * where the part is never used), so only the functions that name it bundle them — not, say, the
 * campaign steps, which had them in a bundle at the 1 MB ceiling.
 */
export const uploads: Part<UploadStorage> = ({ config }) =>
  s3UploadStorage(s3Client(config), config.uploadsBucket);

/**
 * The forwarding package's parts, for both its functions: the API that starts the job and reads
 * its progress (forwarding-package) and the job's task that writes the ZIP (package-job).
 */
export const packageParts = {
  publicFiles,
  workflow,
  reviews,
  campaignStore,
  jobs,
  jobRunner,
  packageRunner,
  uploads,
};
