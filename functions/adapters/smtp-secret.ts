import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod';
import { builtOnFirstUse } from '../rules/built-on-first-use.js';
import type { SmtpSettings } from './smtp-settings.js';

/**
 * The SMTP relay's settings from Secrets Manager: one JSON secret
 * `{ "host", "port", "user", "pass", "secure" }`, read on the first send of a container and kept
 * for its life (a rotated secret reaches the next cold start). Only the functions that send mail
 * may read it (routes.ts `sendsMail`).
 */
const secretSchema = builtOnFirstUse(() =>
  z.object({
    host: z.string().min(1),
    port: z.coerce.number().int().min(1).max(65535),
    user: z.string().min(1),
    pass: z.string().min(1),
    /** true: TLS from the first byte (465); false: STARTTLS on 25/587, which is then required. */
    secure: z.boolean().default(true),
  }),
);

export async function smtpSettingsFromSecret(
  client: SecretsManagerClient,
  secretArn: string,
): Promise<SmtpSettings> {
  const answer = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
  const parsed = secretSchema().safeParse(JSON.parse(answer.SecretString ?? '{}'));
  if (!parsed.success) {
    // Names the fields only: never the values.
    throw new Error(
      `SMTP secret ${secretArn}: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`,
    );
  }
  return parsed.data;
}
