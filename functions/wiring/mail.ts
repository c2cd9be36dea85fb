import { secretsManagerClient, sesClient } from '../adapters/aws-clients.js';
import { sesMailer } from '../adapters/mailer.js';
import { smtpMailer } from '../adapters/smtp-mailer.js';
import { smtpSettingsFromSecret } from '../adapters/smtp-secret.js';
import { type SmtpSettings, smtpSettingsFromUrl } from '../adapters/smtp-settings.js';
import type { Config } from '../lib/config.js';
import type { Mailer } from '../ports/mail.js';
import type { Part } from './compose.js';

/**
 * The configured mail transport, for the functions that send mail (routes.ts `sendsMail`): SES, or
 * SMTP with the relay's settings from a URL (the local catcher) or from the Secrets Manager secret
 * (AWS China), read on the first send. Apart from compose.ts so that only these functions bundle
 * the SMTP client.
 */
export const send: Part<Mailer> = ({ config }) => mailerOf(config);

/**
 * A deployment sends through one transport, the stack's `mail` setting, which sets both
 * LAUREL_MAIL_TRANSPORT and, at bundling, LAUREL_BUNDLED_MAIL_TRANSPORT (infra/bundling.ts `define`): the bundle
 * carries that transport alone — the SES client, or nodemailer and the Secrets Manager client — and
 * esbuild drops the other branch with all it imports (~220 kB of nodemailer, ~65 kB of SES client: the
 * cost issue's 1 MB and 3 × a bare `node`). Unset where the sources run (the tests, the local
 * cloud): both are there and the configuration picks. The stack sets both from one setting; a
 * bundle asked for the other transport fails its cold start, saying which setting to fix.
 */
export function mailerOf(config: Config): Mailer {
  const mail = config.mail;
  // The bundled transport first: esbuild folds `"smtp" !== "smtp"` at parse, and the branch is gone.
  if (process.env.LAUREL_BUNDLED_MAIL_TRANSPORT !== 'smtp' && mail.transport === 'ses') {
    return sesMailer(sesClient(config), config.mailFrom);
  }
  if (process.env.LAUREL_BUNDLED_MAIL_TRANSPORT !== 'ses' && mail.transport === 'smtp') {
    const settings = async (): Promise<SmtpSettings> =>
      mail.url
        ? smtpSettingsFromUrl(mail.url)
        : smtpSettingsFromSecret(secretsManagerClient(config), mail.secretArn ?? '');
    return smtpMailer(settings, config.mailFrom);
  }
  throw new Error(
    `LAUREL_MAIL_TRANSPORT=${mail.transport}, but this bundle carries the ${process.env.LAUREL_BUNDLED_MAIL_TRANSPORT} transport alone: deploy the stack with mail=${mail.transport}`,
  );
}
