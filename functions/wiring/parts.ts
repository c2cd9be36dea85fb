import { dynamoCampaignCatalog } from '../adapters/campaign-catalog.js';
import { dynamoCampaignStore } from '../adapters/campaign-store.js';
import { dynamoJobStore } from '../adapters/job-store.js';
import { s3PublicFiles } from '../adapters/public-files.js';
import { dynamoReviewStore } from '../adapters/review-store.js';
import { s3UploadStorage } from '../adapters/upload-storage.js';
import {
  stepFunctionsExecutions,
  stepFunctionsJobRunner,
  stepFunctionsWorkflow,
} from '../adapters/workflow.js';
import type { CampaignCatalog } from '../ports/campaign-catalog.js';
import type { CampaignStore } from '../ports/campaigns.js';
import type { JobStore } from '../ports/jobs.js';
import type { Mailer } from '../ports/mail.js';
import type { PublicFiles } from '../ports/public-files.js';
import type { ReviewStore } from '../ports/reviews.js';
import type { UploadStorage } from '../ports/uploads.js';
import type { Executions, JobRunner, Workflow } from '../ports/workflow.js';
import type { Part } from './compose.js';

/**
 * The parts a function adds to its base (wiring/compose.ts), one export each so that a function's
 * bundle holds only the adapters it names. The mail transport is wiring/mail.ts.
 */

export const workflow: Part<Workflow> = ({ clients, config }) =>
  stepFunctionsWorkflow(clients.sfn, config.stateMachineArn);
export const executions: Part<Executions> = ({ clients, config }) =>
  stepFunctionsExecutions(clients.sfn, config.stateMachineArn);
export const jobRunner: Part<JobRunner> = ({ clients, config }) =>
  stepFunctionsJobRunner(clients.sfn, config.campaignJobMachineArn);
export const packageRunner: Part<JobRunner> = ({ clients, config }) =>
  stepFunctionsJobRunner(clients.sfn, config.packageJobMachineArn);
export const reviews: Part<ReviewStore> = ({ clients, config }) =>
  dynamoReviewStore(clients.documents, config.tableName);
export const campaignStore: Part<CampaignStore> = ({ clients, config }) =>
  dynamoCampaignStore(clients.documents, config.tableName);
/** The rounds' catalog; a write here makes this container read the rounds again at its next invocation. */
export const catalog: Part<CampaignCatalog> = ({ clients, config, campaigns }) => {
  const stored = dynamoCampaignCatalog(clients.documents, config.tableName);
  return {
    ...stored,
    save: async (entry) => {
      const saved = await stored.save(entry);
      campaigns.invalidate();
      return saved;
    },
  };
};
export const jobs: Part<JobStore> = ({ clients, config }) =>
  dynamoJobStore(clients.documents, config.tableName);
export const uploads: Part<UploadStorage> = ({ clients, config }) =>
  s3UploadStorage(clients.s3, config.uploadsBucket);

export const publicFiles: Part<PublicFiles> = ({ clients, config }) =>
  s3PublicFiles(clients.s3, config.webBucket);

/** For a function without the `sendsMail` grant whose use cases' types name a mailer: it never sends. */
export const noMail: Part<Mailer> = () => async () => {
  throw new Error('this function sends no mail (the route table grants it none)');
};

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
