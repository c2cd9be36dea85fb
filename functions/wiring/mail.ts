import { secretsManagerClient, sesClient } from '../adapters/aws-clients.js';
import { sesMailer, smtpMailer } from '../adapters/mailer.js';
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

export function mailerOf(config: Config): Mailer {
  const mail = config.mail;
  if (mail.transport === 'ses') return sesMailer(sesClient(config), config.mailFrom);
  const settings = async (): Promise<SmtpSettings> =>
    mail.url
      ? smtpSettingsFromUrl(mail.url)
      : smtpSettingsFromSecret(secretsManagerClient(config), mail.secretArn ?? '');
  return smtpMailer(settings, config.mailFrom);
}
