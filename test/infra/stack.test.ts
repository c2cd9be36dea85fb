import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { projectionOf, TABLE_SHAPE } from '../../functions/adapters/table.js';
import { openApiDocument } from '../../functions/lib/api-spec.js';
import { FUNCTIONS } from '../../functions/routes.js';
import { MAX_RETENTION_DAYS, MIN_RETENTION_DAYS } from '../../functions/rules/consent.js';
import { REPO_ROOT } from '../../infra/stacks/lambdas.js';
import { UPLOAD_BACKSTOP_DAYS } from '../../infra/stacks/storage.js';
import { placeholdersIn, readAsl } from '../../infra/stacks/workflow.js';
import { functionArnKey, STATE_MACHINES, substitutionMap } from '../../infra/state-machines.js';
import { synthStack } from './app-fixture.js';
import {
  actionsOf,
  asArray,
  functionIdOf,
  iamStatements,
  policyStatements,
  type Resource,
  resourcesOf,
  statementsOfFunction,
  variablesOf,
} from './template-queries.js';

// One synth (no bundling) for the whole file: every test reads the same dev template.
const { stack, template } = synthStack();
interface MachineProps {
  DefinitionString: string;
  DefinitionSubstitutions: Record<string, { 'Fn::GetAtt': [string, string] }>;
  StateMachineName: string;
  RoleArn: { 'Fn::GetAtt': [string, string] };
}
/** The machine of infra/state-machines.ts named `name`: its logical id and properties. */
function machineOf(name: string): { id: string; props: MachineProps } {
  const entry = resourcesOf(template, 'AWS::StepFunctions::StateMachine').find(([, r]) =>
    String(r.Properties?.StateMachineName).endsWith(`-${name}`),
  );
  if (!entry) throw new Error(`no ${name} state machine in the template`);
  return { id: entry[0], props: entry[1].Properties as unknown as MachineProps };
}
const { id: machineId, props: machineProps } = machineOf('nomination');
const laurelFunctions = resourcesOf(template, 'AWS::Lambda::Function').filter(([, r]) =>
  String(r.Properties?.Description ?? '').startsWith('Laurel '),
);

describe.each(STATE_MACHINES)('the $name state machine', (spec) => {
  const { props } = machineOf(spec.name);

  it('is defined by the ASL file, unchanged', () => {
    expect(JSON.parse(props.DefinitionString)).toEqual(JSON.parse(readAsl(spec)));
  });

  it('has every placeholder substituted with the ARN of a function of this stack', () => {
    const substitutions = props.DefinitionSubstitutions;
    const filled = props.DefinitionString.replace(/\$\{(\w+)\}/g, (whole, key: string) => {
      const [target, attribute] = substitutions[key]?.['Fn::GetAtt'] ?? ['', ''];
      const resource = (template.toJSON().Resources as Record<string, Resource>)[target];
      return resource?.Type === 'AWS::Lambda::Function' && attribute === 'Arn' ? `arn-of-${target}` : whole;
    });
    expect(filled).not.toContain('${');
    expect(placeholdersIn(props.DefinitionString).length).toBeGreaterThan(0);
  });

  it('uses the same substitution keys as local mode', () => {
    const local = Object.keys(
      substitutionMap((name) => `arn:aws:lambda:cn-north-1:000000000000:function:${name}`),
    );
    expect(Object.keys(props.DefinitionSubstitutions).sort()).toEqual(local.sort());
  });

  it("may invoke exactly the functions its ASL names and those its earlier definitions' executions still run, and no version or alias of them", () => {
    const role = props.RoleArn['Fn::GetAtt'][0];
    const invoked = resourcesOf(template, 'AWS::IAM::Policy')
      .filter(([, r]) =>
        asArray(r.Properties?.Roles as unknown[]).some(
          (ref) => JSON.stringify(ref) === JSON.stringify({ Ref: role }),
        ),
      )
      .flatMap(([, r]) => policyStatements(r))
      .filter((statement) => actionsOf(statement).includes('lambda:InvokeFunction'))
      .flatMap((statement) => asArray(statement.Resource));
    const earlier = (spec.earlierTasks ?? []).map(
      (name) => props.DefinitionSubstitutions[functionArnKey(name)],
    );
    const named = [
      ...new Set([
        ...placeholdersIn(readAsl(spec)).map((key) => props.DefinitionSubstitutions[key]),
        ...earlier,
      ]),
    ];
    expect(invoked).toHaveLength(named.length);
    expect(invoked).toEqual(expect.arrayContaining(named));
  });

  it('is updated only after every function, so no function answers a new definition with old code', () => {
    const { id } = machineOf(spec.name);
    const resources = template.toJSON().Resources as Record<string, Resource & { DependsOn?: string[] }>;
    const dependsOn = new Set(resources[id]?.DependsOn ?? []);
    const functionIds = laurelFunctions.map(([fid]) => fid);
    expect(functionIds.length).toBe(FUNCTIONS.length);
    expect(functionIds.filter((fid) => !dependsOn.has(fid))).toEqual([]);
  });

  it('logs every event and is traced', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: props.StateMachineName,
      StateMachineType: 'STANDARD',
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: false }),
      TracingConfiguration: { Enabled: true },
    });
  });

  it('has the name the functions are told before it exists', () => {
    const variables: Record<string, string> = {
      nomination: 'LAUREL_STATE_MACHINE_ARN',
      'campaign-job': 'LAUREL_CAMPAIGN_JOB_MACHINE_ARN',
      'forwarding-package': 'LAUREL_PACKAGE_JOB_MACHINE_ARN',
    };
    const arn = variablesOf(laurelFunctions[0]?.[1])[variables[spec.name] ?? spec.name];
    expect(arn).toBe(`arn:aws:states:us-east-1:123456789012:stateMachine:${props.StateMachineName}`);
  });
});

describe('the functions', () => {
  it('are one per entry of the route table', () => {
    expect(laurelFunctions).toHaveLength(FUNCTIONS.length);
  });

  it('all run Node.js 22 on arm64', () => {
    for (const [, fn] of laurelFunctions) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
      });
    }
  });

  it('reserve the concurrency the route table gives them, and only those', () => {
    const reserved = Object.fromEntries(
      laurelFunctions.flatMap(([, fn]) => {
        const name = /^Laurel \w+: ([\w-]+) \(/.exec(String(fn.Properties?.Description))?.[1];
        const value = fn.Properties?.ReservedConcurrentExecutions;
        return value === undefined ? [] : [[name, value]];
      }),
    );
    expect(reserved).toEqual({ 'pipeline-step': 10 });
    expect(reserved).toEqual(
      Object.fromEntries(
        FUNCTIONS.filter((f) => f.limits.reservedConcurrency).map((f) => [
          f.name,
          f.limits.reservedConcurrency,
        ]),
      ),
    );
  });

  it('get exactly the LAUREL_* variables functions/lib/config.ts reads, but the local cloud’s own', () => {
    const source = readFileSync(join(REPO_ROOT, 'functions/lib/config.ts'), 'utf8');
    const localOnly = ['LAUREL_CLOCK_OFFSET_MS', 'LAUREL_SMTP_URL'];
    const read = [...new Set(source.match(/\bLAUREL_[A-Z_]+\b/g))].filter((n) => !localOnly.includes(n));
    for (const [, fn] of laurelFunctions) {
      const variables = variablesOf(fn);
      expect(
        Object.keys(variables)
          .filter((k) => k.startsWith('LAUREL_'))
          .sort(),
      ).toEqual(read.sort());
      expect(variables.LAUREL_COOKIE_SECURE).toBe('true');
    }
  });

  it('give upload inspection, the Word form and package building more memory and time', () => {
    for (const name of ['attachments', 'form-docx', 'package-job']) {
      const fn = (template.toJSON().Resources as Record<string, Resource>)[functionIdOf(template, name)];
      expect(Number(fn?.Properties?.MemorySize)).toBeGreaterThanOrEqual(1024);
      expect(Number(fn?.Properties?.Timeout)).toBeGreaterThanOrEqual(25);
    }
  });

  it.each(STATE_MACHINES)('stop before their state in the $name ASL times out', (spec) => {
    const { props } = machineOf(spec.name);
    const asl = JSON.parse(readAsl(spec)) as {
      States: Record<string, { Parameters?: { FunctionName?: string }; TimeoutSeconds?: number }>;
    };
    let checked = 0;
    for (const state of Object.values(asl.States)) {
      const key = /^\$\{(\w+)\}$/.exec(state.Parameters?.FunctionName ?? '')?.[1];
      if (!key || !state.TimeoutSeconds) continue;
      const id = props.DefinitionSubstitutions[key]?.['Fn::GetAtt'][0] ?? '';
      const fn = (template.toJSON().Resources as Record<string, Resource>)[id];
      expect(Number(fn?.Properties?.Timeout)).toBeLessThan(state.TimeoutSeconds);
      checked += 1;
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('write to their own log group, kept for a limited time', () => {
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: Match.anyValue() });
    for (const [, fn] of laurelFunctions) {
      expect(fn.Properties?.LoggingConfig).toMatchObject({ LogGroup: { Ref: expect.any(String) } });
    }
  });
});

describe('IAM', () => {
  const statements = iamStatements(template);

  it('never grants states:SendTask* or any s3 action on "*"', () => {
    const unscoped = statements.filter(
      ({ statement }) =>
        statement.Effect === 'Allow' &&
        asArray(statement.Resource).includes('*') &&
        actionsOf(statement).some((a) => a.startsWith('states:SendTask') || a.startsWith('s3:')),
    );
    expect(unscoped).toEqual([]);
  });

  it('grants no wildcard actions (no s3:*, states:*, dynamodb:*)', () => {
    const wildcards = statements.flatMap(({ statement }) =>
      actionsOf(statement).filter((a) => a.endsWith(':*')),
    );
    expect(wildcards).toEqual([]);
  });

  it('lets exactly the functions that answer human steps send task results, for this machine only', () => {
    const expected = FUNCTIONS.filter((f) => f.grants.answersTasks)
      .map((f) => f.name)
      .sort();
    const answering = FUNCTIONS.map((f) => f.name)
      .filter((name) =>
        statementsOfFunction(template, functionIdOf(template, name)).some((s) =>
          actionsOf(s).some((a) => a.startsWith('states:SendTask')),
        ),
      )
      .sort();
    expect(answering).toEqual(expected);
    const resources = statements
      .filter(({ statement }) => actionsOf(statement).some((a) => a.startsWith('states:SendTask')))
      .flatMap(({ statement }) => asArray(statement.Resource));
    expect(new Set(resources)).toEqual(
      new Set([`arn:aws:states:us-east-1:123456789012:stateMachine:${machineProps.StateMachineName}`]),
    );
  });

  it('lets S3 be used only under the key prefixes each function needs (uploads: nominations/, packages/; web bucket: published/)', () => {
    const s3Resources = statements
      .filter(({ statement }) =>
        actionsOf(statement).some(
          (a) => a.startsWith('s3:') && a !== 's3:ListBucket' && a !== 's3:ListBucketVersions',
        ),
      )
      .filter(({ policy }) => !policy.startsWith('Custom'))
      .flatMap(({ statement }) => asArray(statement.Resource).map((r) => JSON.stringify(r)));
    for (const resource of s3Resources)
      expect(resource).toMatch(/\/(nominations|packages|published)\/\*"\]\]\}$/);
  });
});

describe('the deletion job after retention', () => {
  // The deletion job, and the secretariat's deletion of one person on request (the same routine).
  const ERASING = ['campaign-job', 'personal-requests'];

  it('lets only the deletion job and the deletion on request remove object versions, listing versions under their two prefixes only', () => {
    const erasing = FUNCTIONS.map((f) => f.name).filter((name) =>
      statementsOfFunction(template, functionIdOf(template, name)).some((s) =>
        actionsOf(s).includes('s3:DeleteObjectVersion'),
      ),
    );
    expect(erasing).toEqual(ERASING);
    for (const name of ERASING) {
      const listing = statementsOfFunction(template, functionIdOf(template, name)).filter((s) =>
        actionsOf(s).includes('s3:ListBucketVersions'),
      );
      expect(listing, name).toHaveLength(1);
      expect(listing[0]?.Condition).toEqual({ StringLike: { 's3:prefix': ['nominations/*', 'packages/*'] } });
    }
    const others = FUNCTIONS.map((f) => f.name).filter(
      (name) =>
        !ERASING.includes(name) &&
        statementsOfFunction(template, functionIdOf(template, name)).some((s) =>
          actionsOf(s).includes('s3:ListBucketVersions'),
        ),
    );
    expect(others).toEqual([]);
  });

  it('lets only the deletion on request stop an execution, and only the nomination machine’s', () => {
    const stopping = FUNCTIONS.map((f) => f.name).filter((name) =>
      statementsOfFunction(template, functionIdOf(template, name)).some((s) =>
        actionsOf(s).includes('states:StopExecution'),
      ),
    );
    expect(stopping).toEqual(['personal-requests']);
    const [statement] = statementsOfFunction(template, functionIdOf(template, 'personal-requests')).filter(
      (s) => actionsOf(s).includes('states:StopExecution'),
    );
    expect(statement && actionsOf(statement)).toEqual(['states:StopExecution']);
    expect(JSON.stringify(statement?.Resource)).toContain(':execution:');
    expect(JSON.stringify(statement?.Resource)).toContain('nomination');
  });

  it('is started each day at 02:00 China time by a rule invoking the retention-schedule function', () => {
    const rules = resourcesOf(template, 'AWS::Events::Rule').map(([, r]) => r.Properties ?? {});
    const daily = rules.filter((r) => r.ScheduleExpression === 'cron(0 18 * * ? *)');
    expect(daily).toHaveLength(1);
    expect(JSON.stringify(daily[0]?.Targets)).toContain(functionIdOf(template, 'retention-schedule'));
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'events.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [functionIdOf(template, 'retention-schedule'), 'Arn'] },
    });
  });

  it('counts each day of the review clock at 08:00 China time by a rule invoking the review-clock function, which may start jobs', () => {
    const rules = resourcesOf(template, 'AWS::Events::Rule').map(([, r]) => r.Properties ?? {});
    const daily = rules.filter((r) => r.ScheduleExpression === 'cron(0 0 * * ? *)');
    expect(daily).toHaveLength(1);
    expect(JSON.stringify(daily[0]?.Targets)).toContain(functionIdOf(template, 'review-clock'));
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'events.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [functionIdOf(template, 'review-clock'), 'Arn'] },
    });
    const starts = statementsOfFunction(template, functionIdOf(template, 'review-clock')).filter((s) =>
      actionsOf(s).includes('states:StartExecution'),
    );
    expect(JSON.stringify(starts.map((s) => s.Resource))).toContain('campaign-job');
  });

  it("has the bucket's lifecycle keep nothing past a round's retention, and a backstop for what a job missed", () => {
    const [, bucket] =
      resourcesOf(template, 'AWS::S3::Bucket').find(([, b]) => b.Properties?.VersioningConfiguration) ?? [];
    const lifecycle = bucket?.Properties?.LifecycleConfiguration as
      | { Rules: Record<string, unknown>[] }
      | undefined;
    const rules = lifecycle?.Rules ?? [];
    const noncurrent = rules.find((r) => r.NoncurrentVersionExpiration) as {
      NoncurrentVersionExpiration: { NoncurrentDays: number };
    };
    expect(noncurrent.NoncurrentVersionExpiration.NoncurrentDays).toBeLessThanOrEqual(MIN_RETENTION_DAYS);
    const packages = rules.find((r) => r.Prefix === 'packages/') as { ExpirationInDays: number };
    expect(packages.ExpirationInDays).toBeLessThanOrEqual(MIN_RETENTION_DAYS);
    expect(rules).toContainEqual(
      expect.objectContaining({ Prefix: 'nominations/', ExpirationInDays: UPLOAD_BACKSTOP_DAYS }),
    );
    expect(UPLOAD_BACKSTOP_DAYS).toBeGreaterThan(MAX_RETENTION_DAYS);
  });
});

describe('storage', () => {
  it('is one table with the keys, indexes (their projections) and TTL attribute of TABLE_SHAPE, on demand and encrypted', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: TABLE_SHAPE.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE_SHAPE.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: TABLE_SHAPE.indexes.map((i) =>
        Match.objectLike({ IndexName: i.name, Projection: projectionOf(i.projection) }),
      ),
      TimeToLiveSpecification: { AttributeName: TABLE_SHAPE.timeToLiveAttribute, Enabled: true },
      SSESpecification: { SSEEnabled: true },
    });
  });

  it('has point-in-time recovery on the table', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  it('blocks public access on every bucket', () => {
    template.allResourcesProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
  });

  it('denies every request without TLS on every bucket', () => {
    const policies = resourcesOf(template, 'AWS::S3::BucketPolicy');
    for (const [bucketId] of resourcesOf(template, 'AWS::S3::Bucket')) {
      const denies = policies
        .filter(([, p]) => JSON.stringify(p.Properties?.Bucket) === JSON.stringify({ Ref: bucketId }))
        .flatMap(([, p]) => policyStatements(p))
        .filter((s) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false');
      expect(denies, bucketId).toHaveLength(1);
    }
  });

  it('keeps uploads versioned, encrypted, logged, with lifecycle rules and CORS for the site', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: Match.anyValue(),
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'uploads/' }),
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }),
          Match.objectLike({ NoncurrentVersionExpiration: Match.anyValue() }),
          Match.objectLike({ Prefix: 'packages/', ExpirationInDays: Match.anyValue() }),
        ]),
      },
      CorsConfiguration: {
        CorsRules: [
          Match.objectLike({
            AllowedMethods: Match.arrayWith(['POST', 'GET']),
            AllowedOrigins: [
              { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [Match.anyValue(), 'DomainName'] }]] },
            ],
          }),
        ],
      },
    });
  });
});

describe('the HTTP API and the site', () => {
  it('has exactly the routes of the OpenAPI document, plus ANY on each of its paths and $default', async () => {
    const paths = (await openApiDocument()).paths as Record<string, Record<string, unknown>>;
    const operations = Object.entries(paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((m) => ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'].includes(m))
        .map((m) => `${m.toUpperCase()} ${path}`),
    );
    const fallbacks = [...Object.keys(paths).map((path) => `ANY ${path}`), '$default'];
    const routes = resourcesOf(template, 'AWS::ApiGatewayV2::Route').map(([, r]) =>
      String(r.Properties?.RouteKey),
    );
    expect(routes.sort()).toEqual([...operations, ...fallbacks].sort());
  });

  it('logs access and throttles on its default stage', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: Match.objectLike({
        DestinationArn: Match.anyValue(),
        Format: Match.stringLikeRegexp('routeKey'),
      }),
      DefaultRouteSettings: Match.objectLike({
        ThrottlingRateLimit: Match.anyValue(),
        ThrottlingBurstLimit: Match.anyValue(),
      }),
    });
  });

  it('is served under /api/* by CloudFront, uncached, over HTTPS only', () => {
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        CacheBehaviors: [
          Match.objectLike({
            PathPattern: '/api/*',
            ViewerProtocolPolicy: 'https-only',
            AllowedMethods: Match.arrayWith(['PUT', 'POST', 'DELETE']),
            CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
          }),
        ],
        Logging: Match.objectLike({ Prefix: 'cloudfront/' }),
      }),
    });
  });

  it('serves the web UI from its private bucket through origin access control', () => {
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https' }),
        Origins: Match.arrayWith([Match.objectLike({ OriginAccessControlId: Match.anyValue() })]),
      }),
    });
  });
});

describe('mail', () => {
  it('sends from the configured domain with a default configuration set', () => {
    template.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: stack.settings.mailDomain,
      ConfigurationSetAttributes: { ConfigurationSetName: Match.anyValue() },
    });
  });

  it('publishes bounces and complaints to an encrypted topic queued with a dead-letter queue', () => {
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: Match.objectLike({
        MatchingEventTypes: Match.arrayWith(['bounce', 'complaint']),
        SnsDestination: Match.anyValue(),
      }),
    });
    template.hasResourceProperties('AWS::SES::ConfigurationSet', {
      SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: Match.objectLike({ maxReceiveCount: 5 }),
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sqs',
      RedrivePolicy: Match.anyValue(),
    });
  });

  it('lets only the functions that mail send, from this identity only', () => {
    const senders = FUNCTIONS.map((f) => f.name).filter((name) =>
      statementsOfFunction(template, functionIdOf(template, name)).some((s) =>
        actionsOf(s).includes('ses:SendEmail'),
      ),
    );
    // Every function whose use cases mail: invitations (and the secretariat of a new round), expert links, forwarding and release
    // notices (pipeline-step), the unit's notice of a return or rejection (screening), of its
    // selection or not (campaign-job) and of an upheld objection (campaign-steps), the link of the
    // expert who takes over a declined review (reviews), and the reminder before a correction
    // window ends (await-step, on the daily re-arm of the wait for resubmission).
    expect(senders.sort()).toEqual([
      'await-step',
      'campaign-job',
      'campaign-steps',
      'campaigns',
      'invitations',
      'pipeline-step',
      'reviews',
      'screening',
    ]);
  });
});

describe('alarms', () => {
  const machineDimension = [{ Name: 'StateMachineArn', Value: { Ref: machineId } }];

  it('fire on a failed execution', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/States',
      MetricName: 'ExecutionsFailed',
      Dimensions: machineDimension,
      Threshold: 1,
      AlarmActions: [{ Ref: Match.anyValue() }],
    });
  });

  it('fire on a timed-out execution', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/States',
      MetricName: 'ExecutionsTimedOut',
      Dimensions: machineDimension,
    });
  });

  it('watch errors and throttles of every function', () => {
    for (const metric of ['Errors', 'Throttles']) {
      const watched = resourcesOf(template, 'AWS::CloudWatch::Alarm')
        .filter(([, a]) => a.Properties?.Namespace === 'AWS/Lambda' && a.Properties.MetricName === metric)
        .map(([, a]) => JSON.stringify(a.Properties?.Dimensions));
      for (const [id] of laurelFunctions) {
        expect(watched).toContain(JSON.stringify([{ Name: 'FunctionName', Value: { Ref: id } }]));
      }
    }
  });

  it('watch the dead-letter queues', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
    });
  });
});
