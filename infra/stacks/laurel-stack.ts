import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Construct } from 'constructs';
import { FUNCTIONS, type FunctionSpec, type UploadAction } from '../../functions/routes.js';
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

const S3_ACTIONS: Record<UploadAction, string> = {
  read: 's3:GetObject',
  write: 's3:PutObject',
  delete: 's3:DeleteObject',
};

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

    const environment: LaurelEnvironment = {
      LAUREL_STAGE: settings.stage,
      LAUREL_TABLE: this.storage.table.tableName,
      LAUREL_UPLOADS_BUCKET: this.storage.uploads.bucketName,
      LAUREL_STATE_MACHINE_ARN: Workflow.arnFor(this, nomination.name),
      LAUREL_CAMPAIGN_JOB_MACHINE_ARN: Workflow.arnFor(this, campaignJob.name),
      // A campaign-wide step's request waits this long for its job, then answers 202 (API Gateway stops at 30 s).
      LAUREL_JOB_WAIT_MS: '20000',
      LAUREL_WEB_URL: this.web.url,
      LAUREL_MAIL_FROM: settings.mailFrom,
      LAUREL_MAIL_TRANSPORT: settings.mail,
      // Every function gets the same variables; only the mail senders may read the secret (IAM).
      LAUREL_SMTP_SECRET_ARN: this.smtp?.secret.secretArn ?? '',
      LAUREL_COOKIE_SECURE: 'true',
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
    this.httpApi.addFunctionRoutes(specs, functions);

    this.workflow = new Workflow(this, 'Nomination', { ...nomination, settings, functions });
    this.campaignJobs = new Workflow(this, 'CampaignJob', { ...campaignJob, settings, functions });
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

  /** Each function's explicit grants, from its entry in the route table. */
  private grantAccess(specs: readonly FunctionSpec[]): void {
    const { table, uploads } = this.storage;
    const machine = this.workflow;
    for (const spec of specs) {
      const fn = this.functions.get(spec.name);
      if (!fn) continue;
      const access = spec.grants;
      const allow = (actions: string[], resources: string[]) =>
        fn.addToRolePolicy(new iam.PolicyStatement({ actions, resources }));
      const role = fn.role;
      if (!role) throw new Error(`${spec.name} has no role`);

      if (access.table === 'read-write') {
        table.grantReadWriteData(fn);
        acknowledgeWildcardResource(
          role,
          `${table.tableArn}/index/*`,
          'Queries on the table’s own global secondary indexes (gsi1, gsi2): the lists the UI needs. The wildcard covers this table’s indexes only, as CDK’s grantReadWriteData writes it.',
        );
      }
      for (const [prefix, actions] of Object.entries(access.uploads ?? {})) {
        const objects = uploads.arnForObjects(`${prefix}*`);
        allow(
          (actions ?? []).map((a) => S3_ACTIONS[a]),
          [objects],
        );
        acknowledgeWildcardResource(
          role,
          objects,
          `Objects under ${prefix} of the uploads bucket, whose keys are created at run time (per nomination and attachment, per package); only ${(actions ?? []).join(', ')} there, no bucket-wide or s3:* rights.`,
        );
      }
      if (access.answersTasks) {
        allow(
          ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'],
          [machine.stateMachineArn],
        );
      }
      if (access.startsExecutions) allow(['states:StartExecution'], [machine.stateMachineArn]);
      if (access.startsJobs) allow(['states:StartExecution'], [this.campaignJobs.stateMachineArn]);
      if (access.readsExecutions) {
        allow(['states:ListExecutions'], [machine.stateMachineArn]);
        allow(['states:DescribeExecution', 'states:GetExecutionHistory'], [machine.executionsArn]);
        acknowledgeWildcardResource(
          role,
          machine.executionsArn,
          'Executions of this one state machine: their names (one per nomination) are created at run time.',
        );
      }
      if (access.sendsMail && this.mail) allow(['ses:SendEmail'], this.mail.sendResources);
      if (access.sendsMail && this.smtp)
        allow(['secretsmanager:GetSecretValue'], [this.smtp.secret.secretArn]);
      if (access.probesHealth) {
        allow(['dynamodb:DescribeTable'], [table.tableArn]);
        allow(['s3:ListBucket'], [uploads.bucketArn]);
        // Neither action supports resource-level permissions: "*" is the only resource they accept.
        allow(['states:ListStateMachines'], ['*']);
        if (this.mail) allow(['ses:GetAccount'], ['*']);
        acknowledgeWildcardResource(
          role,
          '*',
          'Read-only health probes: states:ListStateMachines and ses:GetAccount support no resource-level permissions, so "*" is the only resource IAM accepts for them. Nothing else in this role is unscoped.',
        );
      }
    }
  }
}
