import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoAccessStore } from '../../functions/adapters/access-store.js';
import { dynamoCampaignCatalog } from '../../functions/adapters/campaign-catalog.js';
import { clockWithOffset, cryptoSecrets } from '../../functions/adapters/secrets.js';
import { tableDefinition } from '../../functions/adapters/table.js';
import { loadConfig } from '../../functions/lib/config.js';
import { FUNCTIONS, type FunctionSpec } from '../../functions/routes.js';
import type { Campaign } from '../../functions/rules/campaign.js';
import { BUILTIN_CAMPAIGNS } from '../../functions/rules/campaigns/index.js';
import { signInLink } from '../../functions/rules/links.js';
import { seedRounds } from '../../functions/use-cases/campaign-catalog.js';
import { issueInvitation } from '../../functions/use-cases/sign-in.js';
import { STATE_MACHINES, substitute, substitutionMap } from '../state-machines.js';
import { startApiGateway } from './api-gateway.js';
import { ensureTables, startDynamoDb } from './dynamodb.js';
import { startDynamoDbGateway } from './dynamodb-gateway.js';
import { withFaults } from './faults.js';
import { functionCredentials, LOCAL_CREDENTIALS, localIam } from './iam.js';
import { deployedName, localLambdas } from './lambda.js';
import { startMail } from './mail.js';
import { claimDataDir } from './processes.js';
import { startS3 } from './s3/index.js';
import { S3Error } from './s3/s3-error.js';
import { scheduleCalendar } from './schedule-calendar.js';
import { startStepFunctions } from './stepfunctions/index.js';

/**
 * The whole of Laurel on one machine: DynamoDB Local, S3 (s3rver behind a POST-policy
 * gateway), a durable Step Functions service, a mail catcher (SMTP, and SES v2), and the API handlers behind a
 * local API Gateway — all reached by the unchanged handlers through the AWS SDK, whose
 * endpoints are the only thing this file changes.
 */

export const LOCAL_REGION = 'cn-north-1';
export const LOCAL_ACCOUNT = '000000000000';

export interface LocalCloudOptions {
  dataDir: string;
  /** Port of the API and web UI; 0 picks a free one. */
  port?: number;
  host?: string;
  /**
   * Compresses calendar time — Wait states, the timeouts and heartbeats of tasks waiting for a
   * person: 0.001 turns an hour into 3.6 s. A synchronous task keeps its timeout, as on AWS.
   */
  timeScale?: number;
  /**
   * The campaign clock's starting instant ('now' = real time). The built-in 2024 campaigns closed
   * in February 2025, so by default a local run starts on 20 January 2025, 09:00 China time,
   * inside both submission windows, and runs on from there.
   */
  clockStart?: string;
  rootDir?: string;
  /** Makes task Lambdas fail at this rate (tests of retries and idempotency); off by default. */
  faultRate?: number;
  faultSeed?: number;
  /**
   * Makes this share of the functions' DynamoDB writes fail as a busy table does (a transaction
   * cancelled by a TransactionConflict, a throttle); off by default.
   */
  dynamoFaultRate?: number;
  /**
   * Replaces the own timeout of every function that serves routes (the route table's
   * `limits.timeoutSeconds`) and API Gateway's 30 s: `npm run bench` raises it to measure requests
   * that run longer at its size, and reports those that would not fit. Task functions keep their
   * own timeouts. Unset everywhere else.
   */
  lambdaTimeoutMs?: number;
  /** Defaults to every function of the route table (tests add probes of their own). */
  functions?: readonly FunctionSpec[];
}

export const DEFAULT_CLOCK_START = '2025-01-20T09:00:00+08:00';

function clockOffset(start: string): number {
  if (start === 'now') return 0;
  const instant = Date.parse(start);
  if (Number.isNaN(instant)) throw new Error(`LAUREL_CLOCK must be an ISO instant or "now", not ${start}`);
  return instant - Date.now();
}

export interface LocalCloud {
  /** The links printed at start: a secretariat and an operations link per built-in campaign; each signs in once. */
  signInLinks: {
    campaignId: string;
    campaignName: string;
    role: 'secretariat' | 'ops';
    url: string;
    expiresAt: string;
  }[];
  /** Another such link, as `npm run invite` issues one in AWS: a test's or a script's next sign-in. */
  issueSignInLink(campaignId: string, role: 'secretariat' | 'ops'): Promise<string>;
  urls: {
    web: string;
    api: string;
    /** The HTTP API's own endpoint, past the edge (as execute-api in AWS): every request refused. */
    executeApi: string;
    health: string;
    mail: string;
    /** smtp://host:port of the local mail catcher's SMTP server. */
    smtp: string;
    dynamodb: string;
    s3: string;
    stepfunctions: string;
  };
  stop(): Promise<void>;
}

const FALLBACK_HTML = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>Laurel</title></head>
<body><h1>Laurel 本地运行中 · running locally</h1>
<p>网页界面尚未构建。The web UI is not built yet.</p>
<ul><li><a href="/api/health">/api/health</a></li></ul></body></html>`;

export async function startLocalCloud(options: LocalCloudOptions): Promise<LocalCloud> {
  const rootDir = options.rootDir ?? resolve(import.meta.dirname, '../..');
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const releaseDataDir = claimDataDir(dataDir);
  const stops: (() => Promise<void>)[] = [async () => releaseDataDir()];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((error: unknown) => console.error(error));
    stops.length = 0;
  };

  const originProof = randomBytes(32).toString('base64url');
  try {
    // The SDK reads these; the handlers never ask whether they run locally.
    Object.assign(process.env, {
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      // s3rver stores streamed uploads corrupted when the SDK adds its default checksums.
      AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
      AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
      LAUREL_STAGE: 'local',
      LAUREL_CLOCK_OFFSET_MS: String(clockOffset(options.clockStart ?? DEFAULT_CLOCK_START)),
      // Served over plain http on this machine: a Secure cookie would never come back.
      LAUREL_COOKIE_SECURE: 'false',
      // The stack's origin-proof secret: a new one at every start; the gateway adds it as CloudFront does.
      LAUREL_ORIGIN_PROOF: originProof,
    });
    // Read before the mail catcher runs: its SMTP address is not known yet.
    const config = loadConfig({
      ...process.env,
      AWS_ENDPOINT_URL_S3: undefined,
      LAUREL_MAIL_TRANSPORT: 'ses',
    });

    // Every function its own principal with its grants; the stand-ins check each call (iam.ts).
    const functions = options.functions ?? FUNCTIONS;
    const iam = localIam(functions, {
      region: LOCAL_REGION,
      account: LOCAL_ACCOUNT,
      table: config.tableName,
      uploadsBucket: config.uploadsBucket,
      webBucket: config.webBucket,
    });
    const [dynamoLocal, s3, mail] = await Promise.all([
      startDynamoDb({ dataDir: join(dataDir, 'dynamodb') }),
      startS3({
        dataDir: join(dataDir, 's3'),
        buckets: [config.uploadsBucket, config.webBucket],
        credentials: LOCAL_CREDENTIALS,
        accessKeys: iam.accessKeys,
        authorize: (accessKeyId, action, resource) => {
          const denial = iam.authorize(accessKeyId, action, resource);
          if (denial) throw new S3Error('AccessDenied', denial.message);
        },
      }),
      startMail({
        dataDir: join(dataDir, 'mail'),
        smtpLogin: { user: LOCAL_CREDENTIALS.accessKeyId, pass: LOCAL_CREDENTIALS.secretAccessKey },
        authorize: {
          ses: (accessKeyId, from) =>
            iam.authorize(
              accessKeyId,
              'ses:SendEmail',
              `arn:${iam.partition}:ses:${LOCAL_REGION}:${LOCAL_ACCOUNT}:identity/${from.replace(/^.*</, '').replace(/>.*$/, '').split('@').pop() ?? ''}`,
            )?.message,
          smtp: (user) =>
            iam.authorize(user, 'secretsmanager:GetSecretValue', iam.resources.smtpSecret ?? '')?.message,
        },
      }),
    ]);
    stops.push(dynamoLocal.stop, s3.stop, mail.stop);
    const dynamo = await startDynamoDbGateway({
      upstream: dynamoLocal.endpoint,
      iam,
      region: LOCAL_REGION,
      account: LOCAL_ACCOUNT,
      ...(options.dynamoFaultRate
        ? {
            faults: {
              rate: options.dynamoFaultRate,
              seed: options.faultSeed ?? 1,
              reportFile: join(dataDir, 'dynamodb-faults.json'),
            },
          }
        : {}),
    });
    stops.push(dynamo.stop);
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      AWS_ENDPOINT_URL_SESV2: mail.endpoint,
      // Mail leaves by SMTP, the transport of AWS China, unless LAUREL_MAIL_TRANSPORT=ses is asked for.
      LAUREL_MAIL_TRANSPORT: process.env.LAUREL_MAIL_TRANSPORT === 'ses' ? 'ses' : 'smtp',
      LAUREL_SMTP_URL: mail.smtpUrl,
    });

    const admin = new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    await ensureTables(admin, [tableDefinition(config.tableName)]);
    // What `npm run campaign -- seed` does once per AWS stage: the built-in rounds into the
    // catalog, unless stored already (a round corrected since is left as it is).
    await seedRounds(
      {
        catalog: dynamoCampaignCatalog(DynamoDBDocumentClient.from(admin), config.tableName),
        clock: clockWithOffset(Number(process.env.LAUREL_CLOCK_OFFSET_MS ?? 0)),
      },
      BUILTIN_CAMPAIGNS.values(),
    );
    admin.destroy();

    const smtpUrlOf = (accessKeyId: string) => {
      const url = new URL(mail.smtpUrl);
      url.username = accessKeyId;
      url.password = LOCAL_CREDENTIALS.secretAccessKey;
      return url.toString().replace(/\/$/, '');
    };
    const lambdas = localLambdas(functions, rootDir, {
      environment: (spec) => {
        const credentials = functionCredentials(spec);
        return {
          AWS_ACCESS_KEY_ID: credentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
          AWS_LAMBDA_FUNCTION_NAME: deployedName(spec),
          AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.limits.memoryMb),
          LAUREL_SMTP_URL: smtpUrlOf(credentials.accessKeyId),
        };
      },
      ...(options.lambdaTimeoutMs ? { apiTimeoutMs: options.lambdaTimeoutMs } : {}),
    });
    stops.push(async () => lambdas.release());
    const functionArn = (name: string) =>
      `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:laurel-${name}`;
    const substitutions = substitutionMap(functionArn);
    const sfn = await startStepFunctions({
      dataDir: join(dataDir, 'stepfunctions'),
      invokeFunction: options.faultRate
        ? withFaults(lambdas.invoke, {
            rate: options.faultRate,
            seed: options.faultSeed ?? 1,
            reportFile: join(dataDir, 'faults.json'),
          })
        : lambdas.invoke,
      timeScale: options.timeScale ?? 1,
      authorize: (accessKeyId, action, resource) => iam.authorize(accessKeyId, action, resource)?.message,
      region: LOCAL_REGION,
      accountId: LOCAL_ACCOUNT,
      stateMachines: STATE_MACHINES.map((m) => ({
        name: `laurel-${m.name}`,
        definition: substitute(readFileSync(join(rootDir, m.file), 'utf8'), substitutions),
      })),
    });
    stops.push(sfn.stop);
    // EventBridge's schedules, locally: each scheduled function invoked as often, on the scaled clock.
    // The event is EventBridge's: its `time` the scheduled instant, here on the scaled calendar —
    // the campaigns' clock when the cloud started plus one period per firing, or on from the last
    // firing of an earlier start on the same data — so a function that counts days by it (the
    // review clock) counts the scaled days, as AWS counts real ones.
    const calendar = scheduleCalendar(
      join(dataDir, 'schedules.json'),
      Date.now() + Number(process.env.LAUREL_CLOCK_OFFSET_MS ?? 0),
    );
    for (const spec of functions) {
      if (!spec.schedule) continue;
      const { everyMs } = spec.schedule;
      const timer = setInterval(
        () => {
          lambdas
            .invoke(spec.name, {
              version: '0',
              id: randomUUID(),
              source: 'aws.events',
              'detail-type': 'Scheduled Event',
              account: LOCAL_ACCOUNT,
              region: LOCAL_REGION,
              time: calendar
                .next(spec.name, everyMs)
                .toISOString()
                .replace(/\.\d{3}Z$/, 'Z'),
              resources: [`arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:rule/laurel-${spec.name}`],
              detail: {},
            })
            .catch((error: unknown) => console.error(`schedule of ${spec.name}:`, error));
        },
        Math.max(1000, spec.schedule.everyMs * (options.timeScale ?? 1)),
      );
      timer.unref();
      stops.push(async () => clearInterval(timer));
    }
    process.env.AWS_ENDPOINT_URL_SFN = sfn.endpoint;
    const machineArn = (name: string) =>
      `arn:aws-cn:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:laurel-${name}`;
    process.env.LAUREL_STATE_MACHINE_ARN = machineArn('nomination');
    process.env.LAUREL_CAMPAIGN_JOB_MACHINE_ARN = machineArn('campaign-job');
    process.env.LAUREL_PACKAGE_JOB_MACHINE_ARN = machineArn('forwarding-package');

    const api = await startApiGateway({
      lambdas,
      port: options.port ?? 3000,
      ...(options.host ? { host: options.host } : {}),
      webDirs: [join(rootDir, 'web/dist'), join(rootDir, 'web/public')],
      ...(options.lambdaTimeoutMs ? { integrationTimeoutMs: options.lambdaTimeoutMs } : {}),
      fallbackHtml: FALLBACK_HTML,
      uploadsOrigin: new URL(s3.endpoint).origin,
      webObject: webObjectReader(s3.endpoint, config.webBucket),
      originProof,
    });
    stops.push(api.stop);
    // Handlers are imported on their first request, after this: their links point here.
    process.env.LAUREL_WEB_URL = api.url;

    const signInLinks = await issueSecretariatLinks(api.url, config.tableName);

    return {
      signInLinks,
      issueSignInLink: (campaignId, role) =>
        issueOperatorLink(api.url, config.tableName, campaignId, role).then((link) => link.url),
      urls: {
        web: `${api.url}/`,
        api: `${api.url}/api`,
        executeApi: api.executeApiUrl,
        health: `${api.url}/api/health`,
        mail: `${mail.endpoint}/`,
        smtp: mail.smtpUrl,
        dynamodb: dynamo.endpoint,
        s3: s3.endpoint,
        stepfunctions: sfn.endpoint,
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** The people `npm start` prints links for: each campaign's secretariat and its operations. */
const OPERATOR_LINKS = {
  secretariat: (campaign: Campaign) => ({
    role: 'secretariat' as const,
    subjectId: 'secretariat',
    name: campaign.organizer.office.zh,
    email: `secretariat@${campaign.id}.localhost`,
    label: campaign.name.zh,
  }),
  ops: (campaign: Campaign) => ({
    role: 'ops' as const,
    subjectId: 'operations',
    name: '运维 Operations',
    email: `operations@${campaign.id}.localhost`,
    label: `运维 Operations · ${campaign.name.zh}`,
  }),
};

/**
 * What operations do in AWS with `npm run invite`: a sign-in link for a campaign's secretariat or
 * operations, through the same use case and store as the API. Each link signs in once.
 */
async function issueOperatorLink(
  webUrl: string,
  tableName: string,
  campaignId: string,
  role: 'secretariat' | 'ops',
): Promise<LocalCloud['signInLinks'][number]> {
  const campaign = BUILTIN_CAMPAIGNS.get(campaignId);
  if (!campaign) throw new Error(`no built-in campaign ${campaignId}`);
  const documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }),
  );
  try {
    const deps = {
      access: dynamoAccessStore(documents, tableName),
      campaigns: BUILTIN_CAMPAIGNS,
      clock: clockWithOffset(Number(process.env.LAUREL_CLOCK_OFFSET_MS ?? 0)),
      secrets: cryptoSecrets,
    };
    const operator = {
      role: 'ops' as const,
      campaignId,
      subjectId: 'local-start',
      name: 'npm start',
      email: 'operations@laurel.localhost',
    };
    const { label, ...person } = OPERATOR_LINKS[role](campaign);
    const { token, invitation } = await issueInvitation(deps, operator, person);
    return {
      campaignId,
      campaignName: label,
      role,
      url: signInLink(webUrl, token),
      expiresAt: invitation.expiresAt,
    };
  } finally {
    documents.destroy();
  }
}

/** Done at every local start: a secretariat link per built-in campaign, then an operations link per campaign. */
async function issueSecretariatLinks(webUrl: string, tableName: string): Promise<LocalCloud['signInLinks']> {
  const links: LocalCloud['signInLinks'] = [];
  for (const role of ['secretariat', 'ops'] as const) {
    for (const campaign of BUILTIN_CAMPAIGNS.values()) {
      links.push(await issueOperatorLink(webUrl, tableName, campaign.id, role));
    }
  }
  return links;
}

export { deployedName };

/** CloudFront's read of the web bucket (its origin access), for the gateway's /published/ paths. */
function webObjectReader(endpoint: string, bucket: string) {
  const s3 = new S3Client({
    region: LOCAL_REGION,
    endpoint,
    forcePathStyle: true,
    credentials: LOCAL_CREDENTIALS,
  });
  return async (key: string) => {
    try {
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return {
        body: await (object.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
        contentType: object.ContentType ?? 'application/octet-stream',
        ...(object.CacheControl ? { cacheControl: object.CacheControl } : {}),
      };
    } catch (error) {
      if (error instanceof NoSuchKey || (error as Error).name === 'NoSuchKey') return undefined;
      throw error;
    }
  };
}
