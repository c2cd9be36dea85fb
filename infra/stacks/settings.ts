import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import * as z from 'zod';

/**
 * What differs between deployments, read once from CDK context: `cdk.json` holds the defaults
 * per stage (`context.stages.<stage>`), and any key may be overridden on the command line
 * (`npx cdk deploy -c stage=prod -c region=cn-north-1 -c mail=off`). Checked here so a typo fails
 * the synth with the key's name instead of deploying something half-configured.
 */
export const STAGES = ['dev', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

/** How Laurel sends mail: SES v2 in the stack's region, or not at all (no SES in the China regions). */
export const MAIL_MODES = ['ses', 'off'] as const;

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
  webCertificateArn: z.string().startsWith('arn:').optional(),
  alarmEmail: z.email().optional(),
  logRetentionDays: positiveInt,
  /** Secretariat forwarding packages are rebuilt on demand; old ones expire. */
  packageRetentionDays: positiveInt,
  /** Replaced and deleted attachments stay recoverable this long. */
  noncurrentVersionDays: positiveInt,
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
  raw.mail = context('mail') ?? defaults.mail ?? (china ? 'off' : 'ses');
  raw.mailFrom ??= `noreply@${String(raw.mailDomain)}`;

  const parsed = settingsSchema.safeParse(raw);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid CDK context for stage ${stage} (${fields})`);
  }
  const settings = parsed.data;
  if (settings.mail === 'ses' && china) {
    throw new Error(
      `SES is not offered in ${settings.region}; deploy with -c mail=off (see README, Deploy › China regions)`,
    );
  }
  if (Boolean(settings.webDomain) !== Boolean(settings.webCertificateArn)) {
    throw new Error('webDomain and webCertificateArn go together: set both or neither');
  }
  return settings;
}
