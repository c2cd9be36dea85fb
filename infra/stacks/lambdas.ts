import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { FunctionSpec } from '../../functions/routes.js';
import { bundlingFor, installedModulesFor, LAMBDA_NODE_OPTIONS } from '../bundling.js';
import { acknowledge } from './nag.js';

/** The repository root: entries in FUNCTIONS are relative to it. */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The environment every handler reads through functions/lib/config.ts, one typed object for
 * all functions. LAUREL_CLOCK_OFFSET_MS is deliberately absent: in AWS the campaigns run on the
 * real clock; so is LAUREL_SMTP_URL, the local cloud's SMTP server. AWS_REGION is set by Lambda
 * itself. A test compares these keys with config.ts.
 */
export interface LaurelEnvironment {
  LAUREL_STAGE: string;
  LAUREL_TABLE: string;
  LAUREL_UPLOADS_BUCKET: string;
  LAUREL_WEB_BUCKET: string;
  LAUREL_STATE_MACHINE_ARN: string;
  LAUREL_CAMPAIGN_JOB_MACHINE_ARN: string;
  LAUREL_PACKAGE_JOB_MACHINE_ARN: string;
  /** Seconds a container keeps the rounds read from the catalog (functions/wiring/live-campaigns.ts). */
  LAUREL_CAMPAIGN_CACHE_SECONDS: string;
  LAUREL_WEB_URL: string;
  LAUREL_MAIL_FROM: string;
  /** 'ses' or 'smtp' (settings.mail). */
  LAUREL_MAIL_TRANSPORT: 'ses' | 'smtp';
  /** The SMTP credentials' secret with mail=smtp, else ''. */
  LAUREL_SMTP_SECRET_ARN: string;
  /** The site is served over HTTPS by CloudFront, so the session cookie is always Secure. */
  LAUREL_COOKIE_SECURE: 'true';
  /** The secret CloudFront adds to API requests (a dynamic reference, resolved at deploy). */
  LAUREL_ORIGIN_PROOF: string;
}

export interface LaurelFunctionProps {
  spec: FunctionSpec;
  stage: string;
  environment: LaurelEnvironment;
  logRetention: logs.RetentionDays;
}

/**
 * One Lambda function of FUNCTIONS: Node.js 22 on arm64, bundled by the local esbuild, with its
 * own role and log group. The role has no managed policy: it may write to its own log group
 * and gets every other permission by an explicit grant in access.ts.
 *
 * Bundled with the options of infra/bundling.ts (scripts/bundle-sizes.ts measures the same
 * bundles): everything in the bundle, the AWS SDK too, and of the mail transports the deployment's
 * alone.
 */
export function laurelFunction(scope: Construct, id: string, props: LaurelFunctionProps): NodejsFunction {
  const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
    retention: props.logRetention,
    removalPolicy: props.stage === 'prod' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  });
  const role = new iam.Role(scope, `${id}Role`, {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: `Laurel ${props.stage} function ${props.spec.name}`,
  });
  logGroup.grantWrite(role);
  const { limits } = props.spec;
  const bundling = bundlingFor(props.spec, undefined, props.environment.LAUREL_MAIL_TRANSPORT);
  const installed = installedModulesFor(props.spec, props.environment.LAUREL_MAIL_TRANSPORT);
  const fn = new NodejsFunction(scope, id, {
    description: `Laurel ${props.stage}: ${props.spec.name} (${props.spec.entry})`,
    entry: join(REPO_ROOT, props.spec.entry),
    handler: 'handler',
    projectRoot: REPO_ROOT,
    depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
    runtime: lambda.Runtime.NODEJS_22_X,
    architecture: lambda.Architecture.ARM_64,
    memorySize: limits.memoryMb,
    timeout: Duration.seconds(limits.timeoutSeconds),
    ...(limits.reservedConcurrency ? { reservedConcurrentExecutions: limits.reservedConcurrency } : {}),
    role,
    logGroup,
    environment: {
      ...props.environment,
      ...(LAMBDA_NODE_OPTIONS ? { NODE_OPTIONS: LAMBDA_NODE_OPTIONS } : {}),
    },
    bundling: {
      format: OutputFormat.ESM,
      target: bundling.target,
      mainFields: [...bundling.mainFields],
      banner: bundling.banner.js,
      minify: bundling.minify,
      sourceMap: bundling.sourcemap,
      sourcesContent: bundling.sourcesContent,
      // Given even when empty: NodejsFunction's default leaves every @aws-sdk package out.
      externalModules: bundling.external,
      // nodemailer, where the function mails by SMTP: installed from package-lock.json beside the
      // bundle, not parsed by every cold start (infra/bundling.ts MAIL_LIBRARIES).
      ...(installed.length > 0 ? { nodeModules: installed } : {}),
      define: bundling.define,
      // NodejsFunction documents a `charset` option but (aws-cdk-lib 2.276) never passes it on.
      // Nor has it an `alias` option: the built-ins taken as CommonJS (BUILTIN_ALIASES) go as flags.
      esbuildArgs: {
        '--charset': bundling.charset,
        ...Object.fromEntries(
          Object.entries(bundling.alias).map(([name, shim]) => [`--alias:${name}`, shim]),
        ),
      },
      tsconfig: join(REPO_ROOT, 'tsconfig.json'),
    },
  });
  acknowledge(
    fn,
    'L1',
    'Node.js 22 is the runtime Laurel is built and tested for (ARCHITECTURE.md); the next major is adopted deliberately with the handler tests, not by a CDK upgrade. Node.js 22 is an LTS release maintained until April 2027.',
  );
  return fn;
}
