import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Construct } from 'constructs';
import { type GrantResources, grantStatements } from '../../functions/grants.js';
import { FUNCTIONS, type FunctionSpec } from '../../functions/routes.js';
import { STATE_MACHINES } from '../state-machines.js';
import { LaurelHttpApi } from './api.js';
import { type LaurelEnvironment, laurelFunction } from './lambdas.js';
import { Mail, SmtpMail } from './mail.js';
import { Monitoring } from './monitoring.js';
import { acknowledgeWildcardResource } from './nag.js';
import { retentionDays, type Settings } from './settings.js';
import { Storage } from './storage.js';
import { Web } from './web.js';
import { Workflow } from './workflow.js';

export interface LaurelStackProps extends StackProps {
  settings: Settings;
  /** Defaults to every function of the route table (functions/routes.ts). */
  functions?: readonly FunctionSpec[];
}

/** CloudFormation ids: 'validate-submission' → 'ValidateSubmission'. */
const pascal = (name: string) => name.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());

/**
 * The whole of Laurel in one stack per stage: what `npm start` runs locally, in AWS.
 */
export class LaurelStack extends Stack {
  readonly settings: Settings;
  readonly functions: ReadonlyMap<string, NodejsFunction>;
  readonly storage: Storage;
  readonly workflow: Workflow;
  readonly campaignJobs: Workflow;
  readonly packageJobs: Workflow;
  readonly httpApi: LaurelHttpApi;
  readonly web: Web;
  /** SES (mail=ses) … */
  readonly mail: Mail | undefined;
  /** … or SMTP with its credentials in Secrets Manager (mail=smtp, the China regions). */
  readonly smtp: SmtpMail | undefined;
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: LaurelStackProps) {
    super(scope, id, props);
    const { settings } = props;
    this.settings = settings;
    const specs = props.functions ?? FUNCTIONS;
    const prod = settings.stage === 'prod';

    // Customer managed keys for the topics and the queues: SES and CloudWatch can only publish to
    // an encrypted topic whose key policy lets them, which AWS managed keys cannot. Two keys, as
    // the queues' key policy names the topic that delivers to them (one key would be a cycle).
    const messagingKey = (id: string, what: string) =>
      new kms.Key(this, id, {
        description: `Laurel ${settings.stage}: ${what}`,
        enableKeyRotation: true,
        removalPolicy: prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      });
    const topicKey = messagingKey('TopicKey', 'SNS topics (alarms, mail events)');

    this.storage = new Storage(this, 'Storage', { settings });
    this.httpApi = new LaurelHttpApi(this, 'Http', { settings });
    this.web = new Web(this, 'Web', { settings, api: this.httpApi.api, accessLogs: this.storage.accessLogs });
    this.storage.allowBrowserOrigin(this.web.url);
    this.mail =
      settings.mail === 'ses'
        ? new Mail(this, 'Mail', {
            settings,
            topicKey,
            queueKey: messagingKey('QueueKey', 'SQS queues (mail events)'),
          })
        : undefined;
    this.smtp = settings.mail === 'smtp' ? new SmtpMail(this, 'Smtp', { settings }) : undefined;

    const machine = (name: string) => {
      const spec = STATE_MACHINES.find((m) => m.name === name);
      if (!spec) throw new Error(`infra/state-machines.ts has no ${name} state machine`);
      // The machine's ARN is fixed by its name; the functions need it before the machine exists.
      return { spec, name: `laurel-${settings.stage}-${spec.name}` };
    };
    const nomination = machine('nomination');
    const campaignJob = machine('campaign-job');
    const packageJob = machine('forwarding-package');

    const environment: LaurelEnvironment = {
      LAUREL_STAGE: settings.stage,
      LAUREL_TABLE: this.storage.table.tableName,
      LAUREL_UPLOADS_BUCKET: this.storage.uploads.bucketName,
      LAUREL_WEB_BUCKET: this.web.bucket.bucketName,
      LAUREL_STATE_MACHINE_ARN: Workflow.arnFor(this, nomination.name),
      LAUREL_CAMPAIGN_JOB_MACHINE_ARN: Workflow.arnFor(this, campaignJob.name),
      LAUREL_PACKAGE_JOB_MACHINE_ARN: Workflow.arnFor(this, packageJob.name),
      // A round corrected in one function reaches every other within a minute; a new round, at once.
      LAUREL_CAMPAIGN_CACHE_SECONDS: '60',
      LAUREL_WEB_URL: this.web.url,
      LAUREL_MAIL_FROM: settings.mailFrom,
      LAUREL_MAIL_TRANSPORT: settings.mail,
      // Every function gets the same variables; only the mail senders may read the secret (IAM).
      LAUREL_SMTP_SECRET_ARN: this.smtp?.secret.secretArn ?? '',
      LAUREL_COOKIE_SECURE: 'true',
      // The same dynamic reference as CloudFront's origin header: both change in one deployment.
      LAUREL_ORIGIN_PROOF: this.web.originProof.secretValue.unsafeUnwrap(),
    };
    const functions = new Map<string, NodejsFunction>();
    for (const spec of specs) {
      functions.set(
        spec.name,
        laurelFunction(this, `${pascal(spec.name)}Function`, {
          spec,
          stage: settings.stage,
          environment,
          logRetention: retentionDays(settings.logRetentionDays),
        }),
      );
    }
    this.functions = functions;
    // Functions that also run on a schedule (the daily deletion job's start): one EventBridge rule each.
    for (const spec of specs) {
      const fn = functions.get(spec.name);
      if (!spec.schedule || !fn) continue;
      new events.Rule(this, `${pascal(spec.name)}Schedule`, {
        schedule: events.Schedule.expression(spec.schedule.expression),
        description: spec.schedule.description,
        targets: [new targets.LambdaFunction(fn, { retryAttempts: 2 })],
      });
    }
    this.httpApi.addFunctionRoutes(specs, functions);

    this.workflow = new Workflow(this, 'Nomination', { ...nomination, settings, functions });
    this.campaignJobs = new Workflow(this, 'CampaignJob', { ...campaignJob, settings, functions });
    this.packageJobs = new Workflow(this, 'PackageJob', { ...packageJob, settings, functions });
    this.grantAccess(specs);

    this.monitoring = new Monitoring(this, 'Monitoring', {
      settings,
      key: topicKey,
      stateMachine: this.workflow.stateMachine,
      campaignJobs: this.campaignJobs.stateMachine,
      functions,
      api: this.httpApi.api,
      deadLetterQueues: this.mail ? [this.mail.deadLetters] : [],
      mail: this.mail !== undefined,
    });

    new CfnOutput(this, 'WebUrl', { value: this.web.url, description: 'Where people open Laurel' });
    new CfnOutput(this, 'ApiEndpoint', { value: this.httpApi.api.apiEndpoint });
    new CfnOutput(this, 'TableName', { value: this.storage.table.tableName });
    new CfnOutput(this, 'UploadsBucket', { value: this.storage.uploads.bucketName });
    new CfnOutput(this, 'WebBucket', { value: this.web.bucket.bucketName });
    new CfnOutput(this, 'StateMachineArn', { value: this.workflow.stateMachine.stateMachineArn });
    new CfnOutput(this, 'PackageJobStateMachineArn', {
      value: this.packageJobs.stateMachine.stateMachineArn,
    });
    new CfnOutput(this, 'CampaignJobStateMachineArn', {
      value: this.campaignJobs.stateMachine.stateMachineArn,
    });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.monitoring.topic.topicArn });
    if (this.smtp) {
      new CfnOutput(this, 'SmtpSecretArn', {
        value: this.smtp.secret.secretArn,
        description: 'Put the mail provider’s SMTP settings here: {"host","port","user","pass","secure"}',
      });
    }
    if (this.mail) {
      this.mail.identity.dkimRecords.forEach((record, i) => {
        new CfnOutput(this, `DkimRecord${i + 1}`, {
          value: `${record.name} CNAME ${record.value}`,
          description: 'Publish in the mail domain’s DNS so SES can verify and sign',
        });
      });
    }
  }

  /**
   * Each function's explicit grants, from its entry in the route table, as functions/grants.ts
   * writes them: the same statements the local cloud enforces on every call.
   */
  private grantAccess(specs: readonly FunctionSpec[]): void {
    const { table, uploads } = this.storage;
    const arns: GrantResources = {
      table: table.tableArn,
      uploadsBucket: uploads.bucketArn,
      webBucket: this.web.bucket.bucketArn,
      nominationMachine: this.workflow.stateMachineArn,
      nominationExecutions: this.workflow.executionsArn,
      jobMachine: this.campaignJobs.stateMachineArn,
      packageMachine: this.packageJobs.stateMachineArn,
      ...(this.mail ? { mailSenders: this.mail.sendResources } : {}),
      ...(this.smtp ? { smtpSecret: this.smtp.secret.secretArn } : {}),
    };
    for (const spec of specs) {
      const fn = this.functions.get(spec.name);
      if (!fn) continue;
      const role = fn.role;
      if (!role) throw new Error(`${spec.name} has no role`);
      for (const statement of grantStatements(spec.grants, arns)) {
        fn.addToRolePolicy(
          new iam.PolicyStatement({
            actions: [...statement.actions],
            resources: [...statement.resources],
            ...(statement.conditions ? { conditions: statement.conditions } : {}),
          }),
        );
        if (!statement.wildcard) continue;
        for (const resource of statement.resources.filter((r) => r.endsWith('*'))) {
          acknowledgeWildcardResource(role, resource, statement.wildcard);
        }
      }
    }
  }
}
