import * as z from 'zod';
import { builtOnFirstUse } from '../rules/built-on-first-use.js';

/** The CDK sets every variable on every function; an empty one means "not used here". */
const emptyAsUnset = (value: unknown) => (value === '' ? undefined : value);

/**
 * The one place that reads the environment. Read and checked once, on a container's first request
 * (wiring/compose.ts; not at import, where its schema would be the cold start's first use of zod):
 * a Lambda with a missing variable fails that invocation with a message naming the variable, not
 * later deep inside a request.
 *
 * Endpoints are not configured here: every AWS SDK v3 client reads the standard
 * AWS_ENDPOINT_URL_<SERVICE> variables itself (AWS_ENDPOINT_URL_DYNAMODB, _S3, _SFN, _SESV2),
 * which the local cloud sets and AWS leaves unset.
 */
/**
 * The secret CloudFront (or the local gateway) adds to every API request it forwards
 * (functions/lib/api.ts ORIGIN_PROOF_HEADER); unset only in tests that call handlers directly.
 */
const originProofSchema = builtOnFirstUse(() => z.string().min(32).optional());

const environmentSchema = builtOnFirstUse(() =>
  z
    .object({
      AWS_REGION: z.string().min(1).default('cn-north-1'),
      LAUREL_TABLE: z.string().min(1).default('laurel'),
      LAUREL_UPLOADS_BUCKET: z.string().min(1).default('laurel-uploads'),
      /** The site's bucket, behind CloudFront: the public lists are published under published/. */
      LAUREL_WEB_BUCKET: z.string().min(1).default('laurel-web'),
      LAUREL_STAGE: z.string().min(1).default('local'),
      /** Where people open Laurel: links in e-mails start with it. */
      LAUREL_WEB_URL: z.string().url().default('http://127.0.0.1:3000'),
      LAUREL_MAIL_FROM: z.string().min(3).default('laurel@localhost'),
      /**
       * How mail leaves: 'ses' (SES v2, the global regions) or 'smtp' (a relay over TLS: AWS China,
       * where SES is not offered, and the local cloud's catcher). Empty means 'ses'.
       */
      LAUREL_MAIL_TRANSPORT: z.preprocess(emptyAsUnset, z.enum(['ses', 'smtp']).default('ses')),
      /** With 'smtp' in AWS: the Secrets Manager secret {host, port, user, pass, secure} of the relay. */
      LAUREL_SMTP_SECRET_ARN: z.preprocess(emptyAsUnset, z.string().min(1).optional()),
      /** With 'smtp' on this machine: smtp://host:port of the local catcher (no secret). */
      LAUREL_SMTP_URL: z.preprocess(emptyAsUnset, z.url({ protocol: /^smtps?$/ }).optional()),
      /**
       * Milliseconds added to the real clock. Unset (0) in AWS; the local cloud sets it so the built-in
       * 2024 campaigns, whose deadlines have passed, can be run as if it were their season.
       */
      LAUREL_CLOCK_OFFSET_MS: z.coerce.number().int().default(0),
      /** The nomination state machine; unset only where no handler starts executions (tests of others). */
      LAUREL_STATE_MACHINE_ARN: z.string().default(''),
      /** The campaign-wide steps' job machine; unset only where no handler starts jobs. */
      LAUREL_CAMPAIGN_JOB_MACHINE_ARN: z.string().default(''),
      /** The forwarding package's job machine; unset only where no handler builds packages. */
      LAUREL_PACKAGE_JOB_MACHINE_ARN: z.string().default(''),
      /**
       * How long a function's container keeps the rounds it read from the catalog before reading
       * them again: a correction of a round reaches every function within this (a new round, at its
       * first use; see functions/wiring/live-campaigns.ts).
       */
      LAUREL_CAMPAIGN_CACHE_SECONDS: z.coerce.number().min(0).max(3600).default(60),
      /** 'false' only where the site is served over plain http (a local run). */
      LAUREL_COOKIE_SECURE: z.enum(['true', 'false']).default('true'),
      /** Set only where S3 is a local stand-in, which answers path-style requests only. */
      AWS_ENDPOINT_URL_S3: z.string().url().optional(),
      LAUREL_ORIGIN_PROOF: originProofSchema(),
    })
    .refine((e) => e.LAUREL_MAIL_TRANSPORT !== 'smtp' || e.LAUREL_SMTP_SECRET_ARN || e.LAUREL_SMTP_URL, {
      message: 'the smtp mail transport needs LAUREL_SMTP_SECRET_ARN (in AWS) or LAUREL_SMTP_URL (local)',
      path: ['LAUREL_SMTP_SECRET_ARN'],
    }),
);

/** The origin proof alone, for the functions that read no other setting (not-found, openapi, health). */
export const originProofFrom = (env: NodeJS.ProcessEnv = process.env): string | undefined =>
  originProofSchema().parse(env.LAUREL_ORIGIN_PROOF || undefined);

/** This function's origin proof, read from its environment on the first request, then kept. */
export const originProofOnce = builtOnFirstUse(() => originProofFrom());

export type Config = Readonly<{
  region: string;
  tableName: string;
  uploadsBucket: string;
  webBucket: string;
  stage: string;
  stateMachineArn: string;
  campaignJobMachineArn: string;
  packageJobMachineArn: string;
  campaignCacheMs: number;
  webUrl: string;
  clockOffsetMs: number;
  mailFrom: string;
  /** SES, or SMTP with the relay's settings in a secret (AWS) or a URL (local). */
  mail: { transport: 'ses' } | { transport: 'smtp'; secretArn?: string; url?: string };
  s3ForcePathStyle: boolean;
  cookieSecure: boolean;
  originProof: string | undefined;
}>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema().safeParse(env);
  if (!parsed.success) {
    const names = parsed.error.issues.map((i) => i.path.join('.')).join(', ');
    throw new Error(`Invalid environment (${names}): ${parsed.error.message}`);
  }
  const e = parsed.data;
  return {
    region: e.AWS_REGION,
    tableName: e.LAUREL_TABLE,
    uploadsBucket: e.LAUREL_UPLOADS_BUCKET,
    webBucket: e.LAUREL_WEB_BUCKET,
    stage: e.LAUREL_STAGE,
    stateMachineArn: e.LAUREL_STATE_MACHINE_ARN,
    campaignJobMachineArn: e.LAUREL_CAMPAIGN_JOB_MACHINE_ARN,
    packageJobMachineArn: e.LAUREL_PACKAGE_JOB_MACHINE_ARN,
    campaignCacheMs: e.LAUREL_CAMPAIGN_CACHE_SECONDS * 1000,
    webUrl: e.LAUREL_WEB_URL.replace(/\/$/, ''),
    mailFrom: e.LAUREL_MAIL_FROM,
    mail:
      e.LAUREL_MAIL_TRANSPORT === 'ses'
        ? { transport: 'ses' }
        : {
            transport: 'smtp',
            ...(e.LAUREL_SMTP_SECRET_ARN ? { secretArn: e.LAUREL_SMTP_SECRET_ARN } : {}),
            ...(e.LAUREL_SMTP_URL ? { url: e.LAUREL_SMTP_URL } : {}),
          },
    clockOffsetMs: e.LAUREL_CLOCK_OFFSET_MS,
    s3ForcePathStyle: e.AWS_ENDPOINT_URL_S3 !== undefined,
    cookieSecure: e.LAUREL_COOKIE_SECURE === 'true',
    originProof: e.LAUREL_ORIGIN_PROOF,
  };
}
