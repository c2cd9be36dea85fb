import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import * as z from 'zod';
import { MIN_RETENTION_DAYS } from '../../functions/rules/consent.js';

/**
 * What differs between deployments, read once from CDK context: `cdk.json` holds the defaults
 * per stage (`context.stages.<stage>`), and any key may be overridden on the command line
 * (`npx cdk deploy -c stage=prod -c region=cn-north-1 -c mail=smtp`). Checked here so a typo fails
 * the synth with the key's name instead of deploying something half-configured.
 */
export const STAGES = ['dev', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

/**
 * How Laurel sends mail: SES v2 in the stack's region, or SMTP through a mail provider whose
 * credentials the stack keeps in a Secrets Manager secret (the China regions, which offer no SES).
 */
export const MAIL_MODES = ['ses', 'smtp'] as const;

const positiveInt = z.coerce.number().int().positive();

const settingsSchema = z.object({
  stage: z.enum(STAGES),
  /** undefined = environment-agnostic synth (the CLI's profile decides at deploy time). */
  region: z
    .string()
    .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'an AWS region such as cn-north-1')
    .optional(),
  account: z
    .string()
    .regex(/^\d{12}$/, 'a 12-digit account id')
    .optional(),
  mail: z.enum(MAIL_MODES),
  /** Domain verified as the SES identity; the sender address lives under it. */
  mailDomain: z.string().regex(/^([a-z0-9-]+\.)+[a-z]{2,}$/, 'a domain name'),
  mailFrom: z.string().min(3),
  /** Optional custom domain of the site (an ICP-filed one in China) and its certificate. */
  webDomain: z.string().optional(),
  /** An ACM certificate in us-east-1 (global regions). */
  webCertificateArn: z.string().startsWith('arn:').optional(),
  /**
   * The China regions' CloudFront takes no ACM certificate: the id (ASCA…) of a server certificate
   * uploaded to IAM with path /cloudfront/ (`aws iam upload-server-certificate`).
   */
  webCertificateIamId: z
    .string()
    .regex(/^[A-Z0-9]{16,32}$/, 'an IAM server certificate id such as ASCAEXAMPLE1234567890')
    .optional(),
  alarmEmail: z.email().optional(),
  logRetentionDays: positiveInt,
  /**
   * Secretariat forwarding packages are rebuilt on demand; old ones expire. No longer than the
   * shortest retention a round may set: a package holds the nominees' forms and scans.
   */
  packageRetentionDays: positiveInt.max(MIN_RETENTION_DAYS),
  /** Replaced and deleted attachments stay recoverable this long; no longer than any round's retention. */
  noncurrentVersionDays: positiveInt.max(MIN_RETENTION_DAYS),
  apiRateLimit: positiveInt,
  apiBurstLimit: positiveInt,
});

export type Settings = z.infer<typeof settingsSchema>;

/** CloudWatch Logs accepts only its own list of retention periods. */
export function retentionDays(days: number): RetentionDays {
  const allowed = Object.values(RetentionDays).filter((v): v is RetentionDays => typeof v === 'number');
  const match = allowed.find((v) => v === days);
  if (match === undefined) throw new Error(`logRetentionDays ${days} is not one of ${allowed.join(', ')}`);
  return match;
}

export const isChinaRegion = (region: string | undefined) => region?.startsWith('cn-') ?? false;

/** Reads one context value; the command line wins over the stage's block in cdk.json. */
type ContextReader = (key: string) => unknown;

const KEYS = Object.keys(settingsSchema.shape).filter((k) => k !== 'stage' && k !== 'mail');

export function readSettings(context: ContextReader, env: NodeJS.ProcessEnv = process.env): Settings {
  const stage = z.enum(STAGES).parse(context('stage') ?? 'dev');
  const stages = (context('stages') ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const defaults = stages[stage] ?? {};
  const raw: Record<string, unknown> = { stage };
  for (const key of KEYS) {
    const value = context(key) ?? defaults[key];
    // An empty string in cdk.json means "not set" (JSON has no undefined).
    if (value !== undefined && value !== '') raw[key] = value;
  }
  raw.region ??= env.CDK_DEPLOY_REGION ?? env.CDK_DEFAULT_REGION;
  raw.account ??= env.CDK_DEPLOY_ACCOUNT ?? env.CDK_DEFAULT_ACCOUNT;
  const china = isChinaRegion(raw.region as string | undefined);
  raw.mail = context('mail') ?? defaults.mail ?? (china ? 'smtp' : 'ses');
  raw.mailFrom ??= `noreply@${String(raw.mailDomain)}`;

  const parsed = settingsSchema.safeParse(raw);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid CDK context for stage ${stage} (${fields})`);
  }
  const settings = parsed.data;
  if (settings.mail === 'ses' && china) {
    throw new Error(
      `SES is not offered in ${settings.region}; deploy with -c mail=smtp (see README, Deploy › China regions)`,
    );
  }
  const certificate = china ? 'webCertificateIamId' : 'webCertificateArn';
  const other = china ? 'webCertificateArn' : 'webCertificateIamId';
  if (settings[other]) {
    throw new Error(
      china
        ? `CloudFront in ${settings.region} takes no ACM certificate: upload it to IAM and set webCertificateIamId`
        : 'webCertificateIamId is for the China regions; CloudFront elsewhere takes an ACM certificate (webCertificateArn)',
    );
  }
  if (Boolean(settings.webDomain) !== Boolean(settings[certificate])) {
    throw new Error(`webDomain and ${certificate} go together: set both or neither`);
  }
  return settings;
}
