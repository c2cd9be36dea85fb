import { allows, type GrantResources, grantStatements, type Statement } from '../../functions/grants.js';
import type { FunctionSpec } from '../../functions/routes.js';

/**
 * IAM, locally. Every function of the route table runs as its own principal (its access key names
 * it: `laurelFunction` + its name in PascalCase), allowed exactly the statements
 * functions/grants.ts derives from its grants — the statements the CDK stack puts in its role.
 * People and tools use the printed local credentials (`local`), which may do anything, as an
 * administrator's would. The stand-ins (DynamoDB and S3 gateways, Step Functions, mail) ask
 * `authorize` about every call and answer AccessDenied in their service's own error shape.
 */

/** The credentials `npm start` prints and tools use: full access. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

const pascal = (name: string) => name.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());

/**
 * A function's access key. Letters and digits only: DynamoDB Local refuses any other access key.
 * The secret is the local one: the stand-ins check who calls, not signatures.
 */
export const functionAccessKey = (spec: Pick<FunctionSpec, 'name'>) => `laurelFunction${pascal(spec.name)}`;

export const functionCredentials = (spec: Pick<FunctionSpec, 'name'>) => ({
  accessKeyId: functionAccessKey(spec),
  secretAccessKey: LOCAL_CREDENTIALS.secretAccessKey,
});

/** The refusal, worded as IAM words it (the stand-ins wrap it in their service's error). */
export interface Denial {
  principal: string;
  action: string;
  resource: string;
  message: string;
}

export type Authorizer = (
  accessKeyId: string | undefined,
  action: string,
  resource: string,
) => Denial | undefined;

/** The ARNs of the local cloud's resources, as the statements name them. */
export function localResources(
  region: string,
  account: string,
  names: { table: string; uploadsBucket: string; webBucket: string },
) {
  const partition = region.startsWith('cn-') ? 'aws-cn' : 'aws';
  const machine = (name: string) =>
    `arn:${partition}:states:${region}:${account}:stateMachine:laurel-${name}`;
  const resources: GrantResources = {
    table: `arn:${partition}:dynamodb:${region}:${account}:table/${names.table}`,
    uploadsBucket: `arn:${partition}:s3:::${names.uploadsBucket}`,
    webBucket: `arn:${partition}:s3:::${names.webBucket}`,
    nominationMachine: machine('nomination'),
    nominationExecutions: `arn:${partition}:states:${region}:${account}:execution:laurel-nomination:*`,
    jobMachine: machine('campaign-job'),
    packageMachine: machine('forwarding-package'),
    // The local cloud speaks both transports: SES v2 and SMTP with a relay secret.
    mailSenders: [`arn:${partition}:ses:${region}:${account}:identity/*`],
    smtpSecret: `arn:${partition}:secretsmanager:${region}:${account}:secret:laurel-smtp`,
  };
  return { partition, resources };
}

export interface LocalIam {
  authorize: Authorizer;
  /** The principal an access key belongs to, or undefined for a key nobody was given. */
  principalOf(accessKeyId: string): string | undefined;
  /** Every access key the stand-ins must accept. */
  accessKeys: readonly string[];
  resources: GrantResources;
  partition: string;
}

export function localIam(
  specs: readonly FunctionSpec[],
  context: { region: string; account: string; table: string; uploadsBucket: string; webBucket: string },
): LocalIam {
  const { partition, resources } = localResources(context.region, context.account, context);
  const principals = new Map<string, { arn: string; statements: readonly Statement[] | 'all' }>();
  principals.set(LOCAL_CREDENTIALS.accessKeyId, {
    arn: `arn:${partition}:iam::${context.account}:user/local`,
    statements: 'all',
  });
  for (const spec of specs) {
    const role = `laurel-${spec.name}`;
    principals.set(functionAccessKey(spec), {
      arn: `arn:${partition}:sts::${context.account}:assumed-role/${role}/${role}`,
      statements: grantStatements(spec.grants, resources),
    });
  }
  return {
    resources,
    partition,
    accessKeys: [...principals.keys()],
    principalOf: (accessKeyId) => principals.get(accessKeyId)?.arn,
    authorize(accessKeyId, action, resource) {
      const principal = accessKeyId === undefined ? undefined : principals.get(accessKeyId);
      if (principal?.statements === 'all') return undefined;
      if (principal && allows(principal.statements, action, resource)) return undefined;
      const name = principal?.arn ?? `anonymous (${accessKeyId ?? 'no access key'})`;
      return {
        principal: name,
        action,
        resource,
        message: `User: ${name} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`,
      };
    },
  };
}

/** The access key a SigV4-signed request names (`Credential=AKID/…`), from its header or its query. */
export function accessKeyOf(authorization: string | undefined, query?: URLSearchParams): string | undefined {
  const fromHeader = authorization
    ? (/Credential=([^/,\s]+)\//.exec(authorization)?.[1] ?? /^AWS ([^:\s]+):/.exec(authorization)?.[1])
    : undefined;
  return (
    fromHeader ?? query?.get('X-Amz-Credential')?.split('/')[0] ?? query?.get('AWSAccessKeyId') ?? undefined
  );
}
