import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createTransport } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoReviewStore } from '../../functions/adapters/review-store.js';
import { tableDefinition } from '../../functions/adapters/table.js';
import { allows, grantStatements } from '../../functions/grants.js';
import { FUNCTIONS, type FunctionSpec } from '../../functions/routes.js';
import { startApiGateway } from '../../infra/local/api-gateway.js';
import { type LocalCloud, startLocalCloud } from '../../infra/local/cloud.js';
import { ensureTables, startDynamoDb } from '../../infra/local/dynamodb.js';
import { startDynamoDbGateway } from '../../infra/local/dynamodb-gateway.js';
import { functionCredentials, LOCAL_CREDENTIALS, localIam } from '../../infra/local/iam.js';
import { localLambdas } from '../../infra/local/lambda.js';
import { startStepFunctions } from '../../infra/local/stepfunctions/index.js';
import { eventually } from '../support/api-client.js';

/**
 * The local cloud refuses what AWS refuses, where AWS refuses it: each function's grants (the
 * route table's, through functions/grants.ts, which the CDK stack uses too), Lambda's 6 MB and
 * timeouts, API Gateway's 10 MB / 30 s, Step Functions' 256 KB, and DynamoDB's transaction
 * conflicts, which the adapters retry.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const REGION = 'cn-north-1';
const PROBE = 'test/support/lambdas/probe.ts';
const probe = (name: string, grants: FunctionSpec['grants'], timeoutSeconds = 10): FunctionSpec => ({
  name,
  entry: PROBE,
  grants,
  limits: { memoryMb: 256, timeoutSeconds },
  routes: [
    {
      route: `GET /api/${name}/{what}`,
      summary: { zh: '测试', en: 'Test probe' },
      access: 'public',
      success: { status: 200, description: { zh: '测试', en: 'Test' } },
    },
  ],
});
const PROBES = [probe('probe-without-table', {}), probe('probe-with-table', { table: 'read-write' }, 1)];

const dataDir = mkdtempSync(join(tmpdir(), 'laurel-limits-'));
let cloud: LocalCloud;

beforeAll(async () => {
  cloud = await startLocalCloud({ dataDir, port: 0, functions: [...FUNCTIONS, ...PROBES] });
}, 90_000);

afterAll(async () => {
  await cloud?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const apiGet = (path: string) => fetch(`${cloud.urls.api}${path}`);

describe('each function runs as its own principal, with exactly its grants', () => {
  it('refuses a handler’s call outside its grants with AccessDenied, and lets the granted one through', async () => {
    const refused = (await (await apiGet('/probe-without-table/table')).json()) as Record<string, unknown>;
    expect(refused).toMatchObject({ allowed: false, error: 'AccessDeniedException' });
    expect(refused.message).toMatch(
      /^User: arn:aws-cn:sts::000000000000:assumed-role\/laurel-probe-without-table\/.* is not authorized to perform: dynamodb:GetItem on resource: arn:aws-cn:dynamodb:cn-north-1:000000000000:table\/laurel/,
    );
    expect(await (await apiGet('/probe-with-table/table')).json()).toEqual({
      allowed: true,
      accessKeyId: 'laurelFunctionProbeWithTable',
    });
  });

  /**
   * For every function of the route table and every kind of call its grants speak of: the
   * stand-ins allow the call exactly when the statements functions/grants.ts derives from its
   * grants (the CDK role's statements) allow it. A grant added to the table without enforcement,
   * or enforcement that drifts from the grants, fails here.
   */
  it('allows each function of the route table exactly what its grants allow, service by service', async () => {
    const iam = localIam(FUNCTIONS, {
      region: REGION,
      account: '000000000000',
      table: 'laurel',
      uploadsBucket: 'laurel-uploads',
      webBucket: 'laurel-web',
    });
    const r = iam.resources;
    const mismatches: string[] = [];
    for (const spec of FUNCTIONS) {
      const statements = grantStatements(spec.grants, r);
      const credentials = functionCredentials(spec);
      const common = { region: REGION, credentials, maxAttempts: 1 };
      const dynamo = new DynamoDBClient({ ...common, endpoint: cloud.urls.dynamodb });
      const s3 = new S3Client({ ...common, endpoint: cloud.urls.s3, forcePathStyle: true });
      const sfn = new SFNClient({ ...common, endpoint: cloud.urls.stepfunctions });
      const ses = new SESv2Client({ ...common, endpoint: cloud.urls.mail.replace(/\/$/, '') });
      const calls: [string, string, () => Promise<unknown>][] = [
        [
          'dynamodb:GetItem',
          r.table,
          () =>
            dynamo.send(new GetItemCommand({ TableName: 'laurel', Key: { pk: { S: 'x' }, sk: { S: 'x' } } })),
        ],
        [
          'dynamodb:Query',
          `${r.table}/index/gsi1`,
          () =>
            dynamo.send(
              new QueryCommand({
                TableName: 'laurel',
                IndexName: 'gsi1',
                KeyConditionExpression: 'gsi1pk = :p',
                ExpressionAttributeValues: { ':p': { S: 'none' } },
              }),
            ),
        ],
        [
          's3:GetObject',
          `${r.uploadsBucket}/nominations/x`,
          () => s3.send(new GetObjectCommand({ Bucket: 'laurel-uploads', Key: 'nominations/x' })),
        ],
        [
          's3:PutObject',
          `${r.uploadsBucket}/packages/x`,
          () => s3.send(new PutObjectCommand({ Bucket: 'laurel-uploads', Key: 'packages/x', Body: 'x' })),
        ],
        [
          's3:PutObject',
          `${r.webBucket}/published/x.json`,
          () => s3.send(new PutObjectCommand({ Bucket: 'laurel-web', Key: 'published/x.json', Body: '{}' })),
        ],
        [
          's3:DeleteObject',
          `${r.uploadsBucket}/nominations/y`,
          () => s3.send(new DeleteObjectCommand({ Bucket: 'laurel-uploads', Key: 'nominations/y' })),
        ],
        [
          'states:StartExecution',
          r.nominationMachine,
          () =>
            sfn.send(new StartExecutionCommand({ stateMachineArn: r.nominationMachine, input: 'not json' })),
        ],
        [
          'states:StartExecution',
          r.jobMachine,
          () => sfn.send(new StartExecutionCommand({ stateMachineArn: r.jobMachine, input: 'not json' })),
        ],
        [
          'states:ListExecutions',
          r.nominationMachine,
          () => sfn.send(new ListExecutionsCommand({ stateMachineArn: r.nominationMachine })),
        ],
        [
          'ses:SendEmail',
          `${(r.mailSenders ?? [''])[0]?.replace('*', 'laurel.localhost')}`,
          () =>
            ses.send(
              new SendEmailCommand({
                FromEmailAddress: 'laurel@laurel.localhost',
                Destination: { ToAddresses: ['probe@example.cn'] },
                Content: { Simple: { Subject: { Data: 'probe' }, Body: { Text: { Data: 'probe' } } } },
              }),
            ),
        ],
      ];
      for (const [action, resource, call] of calls) {
        const granted = allows(statements, action, resource);
        const denied = await call().then(
          () => false,
          (error: Error) => error.name === 'AccessDeniedException' || error.name === 'AccessDenied',
        );
        if (granted === denied)
          mismatches.push(`${spec.name} ${action}: granted ${granted}, refused ${denied}`);
      }
      // SMTP (AWS China): a login only for those that may read the relay's secret.
      const smtp = new URL(cloud.urls.smtp);
      const transport = createTransport({
        host: smtp.hostname,
        port: Number(smtp.port),
        secure: false,
        ignoreTLS: true,
        auth: { user: credentials.accessKeyId, pass: credentials.secretAccessKey },
      });
      const smtpGranted = allows(statements, 'secretsmanager:GetSecretValue', r.smtpSecret ?? '');
      const smtpRefused = await transport
        .sendMail({
          from: 'laurel@laurel.localhost',
          to: 'probe@example.cn',
          subject: 'probe',
          text: 'probe',
        })
        .then(
          () => false,
          (error: { responseCode?: number }) => error.responseCode === 535,
        );
      transport.close();
      if (smtpGranted === smtpRefused)
        mismatches.push(`${spec.name} smtp: granted ${smtpGranted}, refused ${smtpRefused}`);
      for (const client of [dynamo, s3, sfn, ses]) client.destroy();
    }
    expect(mismatches).toEqual([]);
    // The matrix is not vacuous: the table has functions on both sides of each kind of call.
    expect(FUNCTIONS.filter((s) => s.grants.sendsMail).map((s) => s.name)).toContain('screening');
    expect(FUNCTIONS.some((s) => !s.grants.table)).toBe(true);
    // A handler module builds its SDK clients once, as the principal that first imports it: each
    // function of the table needs an entry of its own to call as itself (as each is its own Lambda).
    expect(new Set(FUNCTIONS.map((s) => s.entry)).size).toBe(FUNCTIONS.length);
  }, 120_000);

  it('keeps full access for people and tools with the printed local credentials', async () => {
    const dynamo = new DynamoDBClient({
      region: REGION,
      credentials: LOCAL_CREDENTIALS,
      endpoint: cloud.urls.dynamodb,
    });
    const sfn = new SFNClient({
      region: REGION,
      credentials: LOCAL_CREDENTIALS,
      endpoint: cloud.urls.stepfunctions,
    });
    try {
      await dynamo.send(new GetItemCommand({ TableName: 'laurel', Key: { pk: { S: 'x' }, sk: { S: 'x' } } }));
      const machine = `arn:aws-cn:states:${REGION}:000000000000:stateMachine:laurel-nomination`;
      await sfn.send(new ListExecutionsCommand({ stateMachineArn: machine }));
    } finally {
      dynamo.destroy();
      sfn.destroy();
    }
  });
});

describe('Lambda and API Gateway limits', () => {
  it('answers a response over Lambda’s 6 MB as API Gateway does: 500, no body of the function’s', async () => {
    const answer = await apiGet('/probe-without-table/big');
    expect(answer.status).toBe(500);
    expect(await answer.json()).toEqual({ message: 'Internal Server Error' });
  });

  it('answers a function past its own timeout with 500, and a request body over 10 MB with 413', async () => {
    const started = Date.now();
    const slow = await apiGet('/probe-with-table/slow');
    expect(slow.status).toBe(500);
    expect(await slow.json()).toEqual({ message: 'Internal Server Error' });
    // Its configured timeout (1 s) ended it, not the 2 s it wanted.
    expect(Date.now() - started).toBeLessThan(1900);
    const tooBig = await fetch(`${cloud.urls.api}/nominations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ filler: 'x'.repeat(11 * 1024 * 1024) }),
    });
    expect(tooBig.status).toBe(413);
    expect(await tooBig.json()).toEqual({ message: 'Request Entity Too Large' });
  });

  it('answers 503 Service Unavailable when the integration outlasts its timeout (30 s in AWS)', async () => {
    const { INTEGRATION_TIMEOUT_MS } = await import('../../infra/local/api-gateway.js');
    expect(INTEGRATION_TIMEOUT_MS).toBe(30_000);
    const gateway = await startApiGateway({
      lambdas: { specs: PROBES, invoke: () => new Promise(() => {}) },
      port: 0,
      webDirs: [],
      fallbackHtml: '',
      integrationTimeoutMs: 200,
      uploadsOrigin: 'http://127.0.0.1:1',
      originProof: 'p'.repeat(32),
    });
    try {
      const answer = await fetch(`${gateway.url}/api/probe-with-table/x`);
      expect(answer.status).toBe(503);
      expect(await answer.json()).toEqual({ message: 'Service Unavailable' });
    } finally {
      await gateway.stop();
    }
  });
});

describe('Step Functions with Lambda’s timeouts, throttles and its own 256 KB', () => {
  type Retrier = { ErrorEquals: string[]; IntervalSeconds?: number; MaxAttempts?: number } & Record<
    string,
    unknown
  >;
  const NOMINATION_ASL = JSON.parse(
    readFileSync(join(ROOT, 'statemachines/nomination.asl.json'), 'utf8'),
  ) as {
    States: Record<string, { Retry?: Retrier[] }>;
  };
  /** The Retry the real machine gives its synchronous Lambda task (AssignExperts), with short intervals for the test. */
  const taskRetry = NOMINATION_ASL.States.AssignExperts?.Retry;
  if (!taskRetry?.length) throw new Error('the nomination machine has no AssignExperts Retry to test with');
  const realRetry = taskRetry.map((r) => ({
    ErrorEquals: r.ErrorEquals,
    IntervalSeconds: 1,
    MaxAttempts: 2,
    BackoffRate: 1,
  }));
  const machine = (payload: Record<string, unknown>, retry: readonly Retrier[]) =>
    JSON.stringify({
      StartAt: 'Probe',
      States: {
        Probe: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: {
            FunctionName: 'arn:aws:lambda:cn-north-1:000000000000:function:laurel-probe',
            Payload: payload,
          },
          TimeoutSeconds: 60,
          Retry: retry,
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
          End: true,
        },
        Caught: { Type: 'Fail', Error: 'Caught', Cause: 'caught' },
      },
    });
  const sfnDir = mkdtempSync(join(tmpdir(), 'laurel-limits-sfn-'));
  afterAll(() => rmSync(sfnDir, { recursive: true, force: true }));

  const single = <T>(runs: readonly T[]): T => {
    expect(runs).toHaveLength(1);
    return runs[0] as T;
  };

  /** Runs `executions` executions of the one-task machine at once; their end states and histories. */
  async function runMachine(
    payload: Record<string, unknown>,
    { spec = probe('probe', {}, 1), retry = realRetry as readonly Retrier[], executions = 1 } = {},
  ) {
    const lambdas = localLambdas([spec], ROOT);
    const service = await startStepFunctions({
      dataDir: join(sfnDir, String(Math.random())),
      invokeFunction: lambdas.invoke,
      stateMachines: [{ name: 'probe', definition: machine(payload, retry) }],
    });
    const sfn = new SFNClient({ region: REGION, credentials: LOCAL_CREDENTIALS, endpoint: service.endpoint });
    try {
      const arns = await Promise.all(
        Array.from({ length: executions }, async () => {
          const { executionArn } = await sfn.send(
            new StartExecutionCommand({
              stateMachineArn: `arn:aws-cn:states:${REGION}:000000000000:stateMachine:probe`,
              input: '{}',
            }),
          );
          return executionArn;
        }),
      );
      return await Promise.all(
        arns.map(async (executionArn) => {
          const done = await eventually(
            async () => {
              const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
              return d.status === 'RUNNING' ? undefined : d;
            },
            30_000,
            'the probe execution to end',
          );
          const { events } = await sfn.send(
            new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }),
          );
          return { done, events: events ?? [] };
        }),
      );
    } finally {
      sfn.destroy();
      await service.stop();
    }
  }

  it('throttles an invocation past the function’s reserved concurrency before it runs, and the Task’s own retrier waits it out', async () => {
    const reserved: FunctionSpec = {
      ...probe('probe', {}, 5),
      limits: { memoryMb: 256, timeoutSeconds: 5, reservedConcurrency: 1 },
    };
    // Directly: the second of two at once is refused (429, the service's error: it never ran);
    // once the first has ended, there is room again.
    const lambdas = localLambdas([reserved], ROOT);
    const first = lambdas.invoke('laurel-probe', { sleepMs: 300 });
    await expect(lambdas.invoke('laurel-probe', { sleepMs: 0 })).rejects.toMatchObject({
      name: 'Lambda.TooManyRequestsException',
      origin: 'service',
      status: 429,
    });
    await expect(first).resolves.toEqual({ slept: 300 });
    await expect(lambdas.invoke('laurel-probe', { sleepMs: 0 })).resolves.toEqual({ slept: 0 });

    // Through Step Functions, with the real machine's throttling retrier (its jitter and cap, a
    // shorter first interval): three executions at once all end well, the later ones after throttles.
    const throttling = taskRetry.find((r) => r.ErrorEquals.join() === 'Lambda.TooManyRequestsException');
    expect(throttling).toMatchObject({ JitterStrategy: 'FULL' });
    const runs = await runMachine(
      { sleepMs: 400 },
      {
        spec: reserved,
        retry: [{ ...throttling, IntervalSeconds: 1, MaxDelaySeconds: 1 } as Retrier],
        executions: 3,
      },
    );
    expect(runs.map((r) => r.done.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    const throttled = runs.flatMap((r) =>
      r.events.filter((e) => e.type === 'TaskFailed').map((e) => e.taskFailedEventDetails?.error),
    );
    expect(throttled.length).toBeGreaterThanOrEqual(2);
    expect(new Set(throttled)).toEqual(new Set(['Lambda.TooManyRequestsException']));
  }, 40_000);

  it('retries a function past its timeout as the ASL says (Sandbox.Timedout), then catches it', async () => {
    expect(realRetry.flatMap((r) => r.ErrorEquals)).toEqual(
      expect.arrayContaining(['Sandbox.Timedout', 'Lambda.Unknown']),
    );
    const { done, events } = single(await runMachine({ sleepMs: 1500 }));
    const failures = events.filter((e) => e.type === 'TaskFailed').map((e) => e.taskFailedEventDetails);
    // The first attempt and the two retries, each ended by the function's 1 s timeout.
    expect(failures.map((f) => f?.error)).toEqual([
      'Sandbox.Timedout',
      'Sandbox.Timedout',
      'Sandbox.Timedout',
    ]);
    expect(JSON.parse(failures[0]?.cause ?? '{}')).toMatchObject({
      errorType: 'Sandbox.Timedout',
      errorMessage: expect.stringMatching(/Task timed out after 1\.00 seconds/),
    });
    // Retries spent, the Catch took it.
    expect(done).toMatchObject({ status: 'FAILED', error: 'Caught' });
  }, 40_000);

  it('fails the execution with States.DataLimitExceeded on a task result over 256 KB, which States.ALL does not catch', async () => {
    const { done } = single(await runMachine({ resultBytes: 300 * 1024 }));
    expect(done).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' });
  }, 40_000);
});

describe('DynamoDB transaction conflicts', () => {
  it('assigns every expert of a nomination although its transaction meets conflicts, and still says "exists" on a second try; with their links, the draw and the window in that write, the mails noted by one, the pool and dismissals read by one query', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'laurel-limits-ddb-'));
    const dynamoLocal = await startDynamoDb({ dataDir: dir });
    const pipelineStep = FUNCTIONS.find((s) => s.name === 'pipeline-step') as FunctionSpec;
    const iam = localIam([pipelineStep], {
      region: REGION,
      account: '000000000000',
      table: 'laurel',
      uploadsBucket: 'laurel-uploads',
      webBucket: 'laurel-web',
    });
    // Every transaction is refused (twice at most in a row, as the fault switch allows).
    const gateway = await startDynamoDbGateway({
      upstream: dynamoLocal.endpoint,
      iam,
      region: REGION,
      account: '000000000000',
      faults: { rate: 1, seed: 7, reportFile: join(dir, 'faults.json') },
    });
    const admin = new DynamoDBClient({
      region: REGION,
      credentials: LOCAL_CREDENTIALS,
      endpoint: gateway.endpoint,
    });
    const client = new DynamoDBClient({
      region: REGION,
      credentials: functionCredentials(pipelineStep),
      endpoint: gateway.endpoint,
    });
    try {
      await ensureTables(admin, [tableDefinition('laurel')]);
      const reviews = dynamoReviewStore(DynamoDBDocumentClient.from(client), 'laurel');
      const at = '2025-01-20T01:00:00.000Z';
      const assignments = ['e1', 'e2', 'e3'].map((expertId) => ({
        nominationId: 'n-conflicted',
        expertId,
        expertName: expertId,
        assignedAt: at,
      }));
      expect(await reviews.createAssignments('cast-2024', assignments)).toBe(true);
      expect((await reviews.assignments('n-conflicted')).map((a) => a.expertId).sort()).toEqual([
        'e1',
        'e2',
        'e3',
      ]);
      const faults = JSON.parse(readFileSync(join(dir, 'faults.json'), 'utf8')) as { conflicts: number };
      expect(faults.conflicts).toBeGreaterThanOrEqual(2);
      // A real "already exists" is still told apart from a conflict.
      expect(await reviews.createAssignments('cast-2024', assignments)).toBe(false);
      // A choice of an expert whose cap is reached is refused whole; below the cap, taken.
      const another = { ...(assignments[0] as (typeof assignments)[number]), nominationId: 'n-next' };
      expect(await reviews.createAssignments('cast-2024', [another], new Map([['e1', 1]]))).toBe(false);
      expect(await reviews.assignments('n-next')).toEqual([]);
      expect(await reviews.createAssignments('cast-2024', [another], new Map([['e1', 2]]))).toBe(true);
      // Made with their links, the draw's event and the nomination's leaving the planning window
      // in the one transaction, under pipeline-step's own grants.
      const linked = ['e1', 'e2'].map((expertId) => ({
        nominationId: 'n-linked',
        expertId,
        expertName: expertId,
        assignedAt: at,
        linkHash: `h-${expertId}`,
        linkExpiresAt: at,
      }));
      const waiting = { pk: { S: 'awaiting-experts#cast-2024' }, sk: { S: 'n-linked' } };
      await admin.send(new PutItemCommand({ TableName: 'laurel', Item: waiting }));
      const drawn = {
        nominationId: 'n-linked',
        at,
        actor: { role: 'system', subjectId: 'review/draw', name: 'Laurel' },
        action: 'review-experts-drawn',
      } as const;
      expect(
        await reviews.createAssignments('cast-2024', linked, undefined, { audit: drawn, firstExperts: true }),
      ).toBe(true);
      expect((await reviews.byLink('h-e2'))?.expertId).toBe('e2');
      expect(
        (await admin.send(new GetItemCommand({ TableName: 'laurel', Key: waiting }))).Item,
      ).toBeUndefined();
      const trail = await admin.send(
        new QueryCommand({
          TableName: 'laurel',
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :audit)',
          ExpressionAttributeValues: { ':pk': { S: 'nomination#n-linked' }, ':audit': { S: 'audit#' } },
        }),
      );
      expect(trail.Items).toHaveLength(1);
      // Noted as mailed in one write; a link superseded meanwhile (the later run notes its own) is
      // passed over, the other still noted.
      await reviews.supersedeLink('n-linked', 'e1', 'h-e1');
      await reviews.markLinksMailed(
        'n-linked',
        linked.map((a) => ({ expertId: a.expertId, linkHash: a.linkHash })),
        at,
      );
      expect(
        (await reviews.assignments('n-linked')).map((a) => [a.expertId, a.linkMailedAt ?? null]),
      ).toEqual([
        ['e1', null],
        ['e2', at],
      ]);
      // The pool and the campaign's dismissals by one query of their neighbouring keys, none of
      // the campaign's other items (a selection decision sorts before, an extension after).
      for (const id of ['e1', 'e2', 'e3'])
        await reviews.putExpert({ id, campaignId: 'cast-2024', name: id, email: `${id}@laurel.test` });
      await reviews.dismissConflict('cast-2024', {
        nominationId: 'n-linked',
        expertId: 'e1',
        reason: '同名不同人',
        at,
        by: 'sec',
      });
      for (const sk of ['discretion#nomination#n-linked', 'extension#u-1', 'dismissal', 'expert$'])
        await admin.send(
          new PutItemCommand({
            TableName: 'laurel',
            Item: { pk: { S: 'campaign#cast-2024' }, sk: { S: sk } },
          }),
        );
      const read = await reviews.expertsAndDismissals('cast-2024');
      expect(read.experts.map((e) => [e.id, e.load])).toEqual([
        ['e1', 3],
        ['e2', 2],
        ['e3', 1],
      ]);
      expect(read.dismissals).toEqual(await reviews.conflictDismissals('cast-2024'));
      expect(read.dismissals.map((d) => [d.nominationId, d.expertId])).toEqual([['n-linked', 'e1']]);
    } finally {
      admin.destroy();
      client.destroy();
      await gateway.stop();
      await dynamoLocal.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
