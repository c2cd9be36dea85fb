import type { AccessLog } from '../../../functions/ports/access-log.js';
import type { Executions, JobRunner } from '../../../functions/ports/workflow.js';
import type { CampaignStepDeps } from '../../../functions/use-cases/campaign-steps.js';
import type { PackageDeps } from '../../../functions/use-cases/forwarding-package.js';
import type { OperationsDeps } from '../../../functions/use-cases/operations.js';
import type { ReviewDeps } from '../../../functions/use-cases/reviews.js';
import type { InvitationDeps } from '../../../functions/use-cases/sign-in.js';
import type { UploadDeps } from '../../../functions/use-cases/uploads.js';
import type { MemoryAccessStore } from './access.js';
import type { MemoryCampaignStore } from './campaigns.js';
import type { MemoryErasureStore } from './erasure.js';
import type { MemoryJobStore } from './jobs.js';
import type { MemoryNominationStore } from './nominations.js';
import type { MemoryPublicFiles } from './public-files.js';
import type { MemoryReviewStore } from './reviews.js';
import type { MemoryClock, MemoryIds } from './system.js';
import type { MemoryUploadStorage } from './uploads.js';
import type { MemoryWorkflow } from './workflow.js';

/**
 * Everything a use case may ask for, on in-memory ports: what functions/wiring/compose.ts gives
 * the handlers, plus the upload inspection. One object serves every use case, as the wiring does.
 */
export interface WorldDeps
  extends ReviewDeps,
    CampaignStepDeps,
    PackageDeps,
    UploadDeps,
    InvitationDeps,
    OperationsDeps {
  store: MemoryNominationStore;
  reviews: MemoryReviewStore;
  campaignStore: MemoryCampaignStore;
  jobs: MemoryJobStore;
  uploads: MemoryUploadStorage;
  /** The deletion job's ports: the records it rewrites, and the uploads bucket's every version. */
  erasure: MemoryErasureStore;
  files: MemoryUploadStorage;
  publicFiles: MemoryPublicFiles;
  access: MemoryAccessStore;
  accessLog: AccessLog;
  workflow: MemoryWorkflow;
  executions: Executions;
  jobRunner: JobRunner;
  packageRunner: JobRunner;
  clock: MemoryClock;
  ids: MemoryIds;
  send: ReviewDeps['send'];
}
