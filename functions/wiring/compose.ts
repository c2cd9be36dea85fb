import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { dynamoAccessStore } from '../adapters/access-store.js';
import { type AwsClients, awsClients } from '../adapters/aws-clients.js';
import { dynamoCampaignStore } from '../adapters/campaign-store.js';
import { dynamoJobStore } from '../adapters/job-store.js';
import { dynamoNominationStore } from '../adapters/nomination-store.js';
import { dynamoReviewStore } from '../adapters/review-store.js';
import { clockWithOffset, cryptoSecrets } from '../adapters/secrets.js';
import { s3UploadStorage } from '../adapters/upload-storage.js';
import {
  stepFunctionsExecutions,
  stepFunctionsJobRunner,
  stepFunctionsWorkflow,
} from '../adapters/workflow.js';
import type { Gate } from '../lib/api.js';
import { type Config, loadConfig } from '../lib/config.js';
import { cookieValue, SESSION_COOKIE } from '../lib/cookies.js';
import type { AccessStore } from '../ports/access.js';
import type { CampaignStore } from '../ports/campaigns.js';
import type { JobStore } from '../ports/jobs.js';
import type { Mailer } from '../ports/mail.js';
import type { NominationStore } from '../ports/nominations.js';
import type { ReviewStore } from '../ports/reviews.js';
import type { Clock, Secrets } from '../ports/system.js';
import type { UploadStorage } from '../ports/uploads.js';
import type { Executions, JobRunner, Workflow } from '../ports/workflow.js';
import type { Actor } from '../rules/access.js';
import type { Campaign } from '../rules/campaign.js';
import { BUILTIN_CAMPAIGNS } from '../rules/campaigns/index.js';
import { currentActor } from '../use-cases/sign-in.js';

/**
 * The composition of one function: config read once, and every adapter (with the AWS client
 * under it) built on first use only. A handler file takes `wiring()` and passes the parts its use
 * cases need; a function that never mails builds no SES client (and bundles no SMTP client: only
 * the mailing functions pass wiring/mail.ts's `mailerOf`), one that only reads the table no
 * S3 or Step Functions client. This is the only module that turns adapters into use-case
 * dependencies; lib/ imports no adapter and handlers import no AWS SDK package.
 */

/** Time-ordered, unguessable nomination ids: base-36 milliseconds, then 64 random bits. */
export const newNominationId = () =>
  `n-${Date.now().toString(36).padStart(9, '0')}${BigInt(`0x${randomBytes(8).toString('hex')}`)
    .toString(36)
    .padStart(13, '0')}`;

export interface Wiring {
  readonly config: Config;
  readonly clients: AwsClients;
  readonly store: NominationStore;
  readonly workflow: Workflow;
  readonly executions: Executions;
  readonly campaigns: ReadonlyMap<string, Campaign>;
  readonly clock: Clock;
  readonly secrets: Secrets;
  readonly ids: {
    nominationId(): string;
    attachmentId(): string;
    objectionId(): string;
    planId(): string;
  };
  readonly reviews: ReviewStore;
  readonly campaignStore: CampaignStore;
  readonly jobs: JobStore;
  readonly jobRunner: JobRunner;
  readonly uploads: UploadStorage;
  readonly send: Mailer;
  readonly access: AccessStore;
  readonly webUrl: string;
  /** The route access check's ports: the session behind a request and a nomination's scope. */
  readonly gate: Gate;
}

/** Memoised getters: each part is built the first time a use case reaches for it. */
function lazily<T extends object>(parts: { [K in keyof T]: () => T[K] }): T {
  const built = new Map<PropertyKey, unknown>();
  const result = {} as T;
  for (const key of Object.keys(parts) as (keyof T)[]) {
    Object.defineProperty(result, key, {
      enumerable: true,
      get: () => {
        if (!built.has(key)) built.set(key, parts[key]());
        return built.get(key);
      },
    });
  }
  return result;
}

/** Builds the configured mail transport (wiring/mail.ts); given only by the functions that send mail. */
export type MailerFactory = (config: Config, clients: AwsClients) => Mailer;

const noMail: MailerFactory = () => async () => {
  throw new Error('this function sends no mail (routes.ts grants it none)');
};

export function wiring(config: Config = loadConfig(), options: { mailer?: MailerFactory } = {}): Wiring {
  const clients = awsClients(config);
  const w: Wiring = lazily<Wiring>({
    config: () => config,
    clients: () => clients,
    store: () => dynamoNominationStore(clients.documents, config.tableName),
    workflow: () => stepFunctionsWorkflow(clients.sfn, config.stateMachineArn),
    executions: () => stepFunctionsExecutions(clients.sfn, config.stateMachineArn),
    campaigns: () => BUILTIN_CAMPAIGNS,
    clock: () => clockWithOffset(config.clockOffsetMs),
    secrets: () => cryptoSecrets,
    ids: () => ({
      nominationId: newNominationId,
      attachmentId: () => `a-${randomBytes(12).toString('hex')}`,
      objectionId: () => `o-${randomBytes(10).toString('hex')}`,
      planId: () => randomBytes(8).toString('hex'),
    }),
    reviews: () => dynamoReviewStore(clients.documents, config.tableName),
    campaignStore: () => dynamoCampaignStore(clients.documents, config.tableName),
    jobs: () => dynamoJobStore(clients.documents, config.tableName),
    jobRunner: () => stepFunctionsJobRunner(clients.sfn, config.campaignJobMachineArn),
    uploads: () => s3UploadStorage(clients.s3, config.uploadsBucket),
    send: () => (options.mailer ?? noMail)(config, clients),
    access: () => dynamoAccessStore(clients.documents, config.tableName),
    webUrl: () => config.webUrl,
    gate: () => ({
      authenticate: (event: Pick<APIGatewayProxyEventV2, 'cookies'>): Promise<Actor> =>
        currentActor(w, cookieValue(event, SESSION_COOKIE)),
      campaignExists: (id: string) => w.campaigns.has(id),
      nominationScope: (id: string) => w.store.scope(id),
    }),
  });
  return w;
}
