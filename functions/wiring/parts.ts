import { documentClient, s3Client, sfnClient } from '../adapters/aws-clients.js';
import { dynamoCampaignCatalog } from '../adapters/campaign-catalog.js';
import { type CampaignStoreWithSubmissionRead, dynamoCampaignStore } from '../adapters/campaign-store.js';
import { dynamoErasureStore, s3FileEraser } from '../adapters/erasure.js';
import { dynamoJobStore } from '../adapters/job-store.js';
import { s3PublicFiles } from '../adapters/public-files.js';
import { dynamoReviewStore } from '../adapters/review-store.js';
import {
  stepFunctionsExecutions,
  stepFunctionsJobRunner,
  stepFunctionsWorkflow,
} from '../adapters/workflow.js';
import type { CampaignCatalog } from '../ports/campaign-catalog.js';
import type { CampaignStore } from '../ports/campaigns.js';
import type { ErasureStore, FileEraser } from '../ports/erasure.js';
import type { JobStore } from '../ports/jobs.js';
import type { Mailer } from '../ports/mail.js';
import type { PublicFiles } from '../ports/public-files.js';
import type { ReviewStore } from '../ports/reviews.js';
import type { Executions, JobRunner, Workflow } from '../ports/workflow.js';
import { type Base, nominationsSeen, type Part } from './compose.js';

/**
 * The parts a function adds to its base (wiring/compose.ts), one export each so that a function's
 * bundle holds only the adapters it names. The mail transport is wiring/mail.ts; the uploads
 * bucket is wiring/upload-parts.ts.
 */

export const workflow: Part<Workflow> = ({ config }) =>
  stepFunctionsWorkflow(sfnClient(config), config.stateMachineArn);
export const executions: Part<Executions> = ({ config }) =>
  stepFunctionsExecutions(sfnClient(config), config.stateMachineArn);
export const jobRunner: Part<JobRunner> = ({ config }) =>
  stepFunctionsJobRunner(sfnClient(config), config.campaignJobMachineArn);
export const packageRunner: Part<JobRunner> = ({ config }) =>
  stepFunctionsJobRunner(sfnClient(config), config.packageJobMachineArn);
export const reviews: Part<ReviewStore> = ({ config }) =>
  dynamoReviewStore(documentClient(config), config.tableName, nominationsSeen(config));
/**
 * The campaign store; a submission's context taken from its route check's read when that made it
 * (`readSubmissionWithScope`), else read.
 */
export const campaignStore: Part<CampaignStoreWithSubmissionRead> = ({ config, takeHandedOn }) => {
  const stored = dynamoCampaignStore(documentClient(config), config.tableName, nominationsSeen(config));
  return {
    ...stored,
    submissionContext: async (campaignId, unitId) =>
      (takeHandedOn(submissionContextKey(campaignId, unitId)) as SubmissionContext | undefined) ??
      stored.submissionContext(campaignId, unitId),
  };
};

type SubmissionContext = Awaited<ReturnType<CampaignStore['submissionContext']>>;
const submissionContextKey = (campaignId: string, unitId: string) =>
  `submission-context#${campaignId}#${unitId}`;

/**
 * The route check of `route` (a submit) reads the nomination with the submitter's context — the
 * round's window and past-honouree list, the actor's as the use case reads them — by one request,
 * where the check's read and the use case's were two.
 */
export function readSubmissionWithScope(
  w: Base & { readonly campaignStore: CampaignStoreWithSubmissionRead },
  route: string,
): void {
  w.readScopeWith(route, (id, actor) => ({
    key: submissionContextKey(actor.campaignId, actor.subjectId),
    read: () => w.campaignStore.submissionContextWith(actor.campaignId, actor.subjectId, id),
  }));
}
/** The rounds' catalog; a write here makes this container read the rounds again at its next invocation. */
export const catalog: Part<CampaignCatalog> = ({ config, campaigns }) => {
  const stored = dynamoCampaignCatalog(documentClient(config), config.tableName);
  return {
    ...stored,
    save: async (entry) => {
      const saved = await stored.save(entry);
      campaigns.invalidate();
      return saved;
    },
  };
};
export const jobs: Part<JobStore> = ({ config }) => dynamoJobStore(documentClient(config), config.tableName);

/** The deletion job's parts: the records about a nomination, and every version of its files. */
export const erasure: Part<ErasureStore> = ({ config }) =>
  dynamoErasureStore(documentClient(config), config.tableName);
export const files: Part<FileEraser> = ({ config }) => s3FileEraser(s3Client(config), config.uploadsBucket);

export const publicFiles: Part<PublicFiles> = ({ config }) =>
  s3PublicFiles(s3Client(config), config.webBucket);

/**
 * For a function without the `publishes` grant whose use cases' types name the public files: it
 * never publishes (IAM would refuse it), and its bundle then holds no S3 client — the await and
 * pipeline tasks' cold import, ~100 kB of S3's client and rules less to compile.
 */
export const noPublishing: Part<PublicFiles> = () => ({
  publish: async () => {
    throw new Error('this function publishes nothing (the route table grants it none)');
  },
});

/** For a function without the `sendsMail` grant whose use cases' types name a mailer: it never sends. */
export const noMail: Part<Mailer> = () => async () => {
  throw new Error('this function sends no mail (the route table grants it none)');
};
