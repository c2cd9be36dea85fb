import type { Grants, UploadAction } from './routes.js';

/**
 * A function's grants (its route-table entry) as IAM statements: the one translation both the
 * CDK stack (infra/stacks/laurel-stack.ts, the role's policy) and the local cloud (infra/local/iam.ts,
 * which checks every call a function makes) use, so what runs locally is refused exactly where
 * AWS would refuse it. Pure: ARNs come in, statements come out.
 */

export interface Statement {
  actions: readonly string[];
  resources: readonly string[];
  /**
   * IAM conditions, e.g. `{ StringLike: { 's3:prefix': ['nominations/*'] } }`. The local cloud
   * does not evaluate them (it allows as if they held): they only ever narrow a grant in AWS.
   */
  conditions?: Record<string, Record<string, readonly string[]>>;
  /** Why a resource ends in a wildcard (cdk-nag's IAM5 acknowledgement); absent when none does. */
  wildcard?: string;
}

/** The ARNs the statements name; in CDK they are tokens, locally the local cloud's ARNs. */
export interface GrantResources {
  table: string;
  uploadsBucket: string;
  /** The web bucket CloudFront serves the site from. */
  webBucket: string;
  /** The nomination state machine … */
  nominationMachine: string;
  /** … and its executions (`…:execution:<machine>:*`). */
  nominationExecutions: string;
  jobMachine: string;
  /** The forwarding-package state machine. */
  packageMachine: string;
  /** SES identity and configuration set: ses:SendEmail's resources. Absent where mail goes by SMTP. */
  mailSenders?: readonly string[];
  /** The SMTP relay's credentials (AWS China). Absent where mail goes by SES. */
  smtpSecret?: string;
}

/** As aws-cdk-lib's `grantReadWriteData` writes them (read, write, describe). */
export const TABLE_READ_WRITE_ACTIONS = [
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:GetItem',
  'dynamodb:Scan',
  'dynamodb:ConditionCheckItem',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
  'dynamodb:BatchWriteItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:DescribeTable',
] as const;

/** Reads name the version recorded (the uploads bucket is versioned), which needs GetObjectVersion too. */
/** Where in the web bucket the public lists are published (the site's build never writes there). */
export const PUBLISHED_PREFIX = 'published/';

export const S3_ACTIONS: Record<UploadAction, readonly string[]> = {
  read: ['s3:GetObject', 's3:GetObjectVersion'],
  // A multipart upload (the forwarding package) that fails is aborted: its own action in IAM.
  write: ['s3:PutObject', 's3:AbortMultipartUpload'],
  delete: ['s3:DeleteObject'],
  // A version removed for good is DeleteObject naming its VersionId: its own action in IAM.
  erase: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
};

export function grantStatements(grants: Grants, arns: GrantResources): Statement[] {
  const statements: Statement[] = [];
  if (grants.table === 'read-write') {
    statements.push({
      actions: TABLE_READ_WRITE_ACTIONS,
      resources: [arns.table, `${arns.table}/index/*`],
      wildcard:
        'Queries on the table’s own global secondary indexes (gsi1, gsi2, gsi3): the lists the UI needs and the name search. The wildcard covers this table’s indexes only, as CDK’s grantReadWriteData writes it.',
    });
  }
  for (const [prefix, actions] of Object.entries(grants.uploads ?? {})) {
    statements.push({
      actions: (actions ?? []).flatMap((a) => S3_ACTIONS[a]),
      resources: [`${arns.uploadsBucket}/${prefix}*`],
      wildcard: `Objects under ${prefix} of the uploads bucket, whose keys are created at run time (per nomination and attachment, per package); only ${(actions ?? []).join(', ')} there, no bucket-wide or s3:* rights.`,
    });
  }
  const erased = Object.entries(grants.uploads ?? {}).filter(([, actions]) => actions?.includes('erase'));
  if (erased.length > 0) {
    // Listing versions is an action on the bucket, narrowed to the erased prefixes by `s3:prefix`.
    statements.push({
      actions: ['s3:ListBucketVersions'],
      resources: [arns.uploadsBucket],
      conditions: { StringLike: { 's3:prefix': erased.map(([prefix]) => `${prefix}*`) } },
    });
  }
  if (grants.publishes) {
    statements.push({
      actions: ['s3:PutObject'],
      resources: [`${arns.webBucket}/${PUBLISHED_PREFIX}*`],
      wildcard: `Objects under ${PUBLISHED_PREFIX} of the web bucket: one notice and one final list per campaign, named at run time; put only, nothing else of the site.`,
    });
  }
  if (grants.answersTasks) {
    statements.push({
      actions: ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'],
      resources: [arns.nominationMachine],
    });
  }
  if (grants.startsExecutions)
    statements.push({ actions: ['states:StartExecution'], resources: [arns.nominationMachine] });
  if (grants.stopsExecutions) {
    statements.push({
      actions: ['states:StopExecution'],
      resources: [arns.nominationExecutions],
      wildcard:
        'Executions of this one state machine, named at run time after their nominations: a nominee whose data is deleted leaves the campaign and their execution is stopped.',
    });
  }
  if (grants.startsJobs)
    statements.push({ actions: ['states:StartExecution'], resources: [arns.jobMachine] });
  if (grants.startsPackageJobs)
    statements.push({ actions: ['states:StartExecution'], resources: [arns.packageMachine] });
  if (grants.readsExecutions) {
    statements.push({ actions: ['states:ListExecutions'], resources: [arns.nominationMachine] });
    statements.push({
      actions: ['states:DescribeExecution', 'states:GetExecutionHistory'],
      resources: [arns.nominationExecutions],
      wildcard:
        'Executions of this one state machine: their names (one per nomination) are created at run time.',
    });
  }
  if (grants.sendsMail && arns.mailSenders)
    statements.push({ actions: ['ses:SendEmail'], resources: arns.mailSenders });
  if (grants.sendsMail && arns.smtpSecret)
    statements.push({ actions: ['secretsmanager:GetSecretValue'], resources: [arns.smtpSecret] });
  if (grants.probesHealth) {
    statements.push({ actions: ['dynamodb:DescribeTable'], resources: [arns.table] });
    statements.push({ actions: ['s3:ListBucket'], resources: [arns.uploadsBucket] });
    // Neither action supports resource-level permissions: "*" is the only resource they accept.
    statements.push({
      actions: ['states:ListStateMachines'],
      resources: ['*'],
      wildcard:
        'Read-only health probes: states:ListStateMachines and ses:GetAccount support no resource-level permissions, so "*" is the only resource IAM accepts for them. Nothing else in this role is unscoped.',
    });
    if (arns.mailSenders) statements.push({ actions: ['ses:GetAccount'], resources: ['*'] });
  }
  return statements;
}

/**
 * Each pattern compiled once: the local cloud asks about every call it serves, and the patterns
 * are the grants' few actions and resources (a fixed set), so the map stays small.
 */
const compiledPatterns = new Map<string, RegExp>();

/** IAM's wildcards in an action or resource: `*` any run of characters, `?` one. */
function wildcardMatch(pattern: string, value: string): boolean {
  let compiled = compiledPatterns.get(pattern);
  if (!compiled) {
    const source = pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    compiled = new RegExp(`^${source}$`);
    compiledPatterns.set(pattern, compiled);
  }
  return compiled.test(value);
}

/** Whether the statements allow `action` on `resource` (IAM: anything not allowed is denied). */
export const allows = (statements: readonly Statement[], action: string, resource: string): boolean =>
  statements.some(
    (s) =>
      s.actions.some((a) => wildcardMatch(a, action)) && s.resources.some((r) => wildcardMatch(r, resource)),
  );
