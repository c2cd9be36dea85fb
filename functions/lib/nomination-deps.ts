import { randomBytes } from 'node:crypto';
import { dynamoCampaignStore } from '../adapters/campaign-store.js';
import { dynamoJobStore } from '../adapters/job-store.js';
import { sesMailer } from '../adapters/mailer.js';
import { dynamoNominationStore } from '../adapters/nomination-store.js';
import { dynamoReviewStore } from '../adapters/review-store.js';
import { clockWithOffset, cryptoSecrets } from '../adapters/secrets.js';
import { s3UploadStorage } from '../adapters/upload-storage.js';
import { stepFunctionsJobRunner, stepFunctionsWorkflow } from '../adapters/workflow.js';
import { BUILTIN_CAMPAIGNS } from '../rules/campaigns/index.js';
import type { CampaignStepDeps } from '../use-cases/campaign-steps.js';
import type { NominationDeps } from '../use-cases/nominations.js';
import type { ReviewDeps } from '../use-cases/reviews.js';
import type { AwsClients } from './aws.js';
import type { Config } from './config.js';

/** Time-ordered, unguessable nomination ids: base-36 milliseconds, then 64 random bits. */
export const newNominationId = () =>
  `n-${Date.now().toString(36).padStart(9, '0')}${BigInt(`0x${randomBytes(8).toString('hex')}`)
    .toString(36)
    .padStart(13, '0')}`;

/** The dependencies every nomination use case gets, built once per cold start. */
export function nominationDeps(clients: AwsClients, config: Config) {
  const workflow = stepFunctionsWorkflow(clients.sfn, config.stateMachineArn);
  const deps: NominationDeps = {
    store: dynamoNominationStore(clients.documents, config.tableName),
    workflow,
    campaigns: BUILTIN_CAMPAIGNS,
    clock: clockWithOffset(config.clockOffsetMs),
    ids: { nominationId: newNominationId },
  };
  return { deps, workflow };
}

/** Everything the review and campaign-wide steps need besides the nomination use cases. */
export function pipelineDeps(clients: AwsClients, config: Config) {
  const { deps } = nominationDeps(clients, config);
  const send = sesMailer(clients.ses, config.mailFrom);
  const full: ReviewDeps & CampaignStepDeps & { uploads: ReturnType<typeof s3UploadStorage> } = {
    ...deps,
    reviews: dynamoReviewStore(clients.documents, config.tableName),
    campaignStore: dynamoCampaignStore(clients.documents, config.tableName),
    jobs: dynamoJobStore(clients.documents, config.tableName),
    jobRunner: stepFunctionsJobRunner(clients.sfn, config.campaignJobMachineArn),
    uploads: s3UploadStorage(clients.s3, config.uploadsBucket),
    secrets: cryptoSecrets,
    send,
    webUrl: config.webUrl,
    ids: {
      ...deps.ids,
      objectionId: () => `o-${randomBytes(10).toString('hex')}`,
      planId: () => randomBytes(8).toString('hex'),
    },
  };
  return full;
}
