import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { type Mailer, mailFailed } from '../ports/mail.js';
import { messageIdFor, replyToOf } from './mailer.js';
import type { SmtpSettings } from './smtp-settings.js';

/** The SMTP transport of the Mailer port (mailer.ts says what both transports do). */

const SMTP_TIMEOUT_MS = 10_000;

/**
 * The nodemailer transport of a relay: TLS always, unless the settings say local and insecure.
 * Built from nodemailer's SMTP transport and mailer as its `createTransport` builds them for these
 * options, without importing `createTransport`, which brings every other transport (pool,
 * sendmail, stream, JSON, SES) and the well-known services table into the bundle (~30 KB).
 *
 * Imported on the first send, not with the function: nodemailer's ~220 kB load net, tls, dns and
 * util at their top level, which a cold start of a mailing function paid on every route, most of
 * which send nothing (the cost issue: a function's import ≤ 3 × a bare `node`). Nor is it in the
 * bundle, where every cold start would parse it: a deployment installs it beside the bundle
 * (infra/bundling.ts MAIL_LIBRARIES), and this import loads it from there.
 */
export async function smtpTransport(settings: SmtpSettings) {
  const [{ default: NodemailerMail }, { default: SMTPTransport }] = await Promise.all([
    import('nodemailer/lib/mailer'),
    import('nodemailer/lib/smtp-transport'),
  ]);
  const options: SMTPTransport.Options = {
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    requireTLS: !settings.secure && !settings.insecure,
    ignoreTLS: settings.insecure === true,
    ...(settings.user ? { auth: { user: settings.user, pass: settings.pass ?? '' } } : {}),
    connectionTimeout: SMTP_TIMEOUT_MS,
    greetingTimeout: SMTP_TIMEOUT_MS,
    socketTimeout: SMTP_TIMEOUT_MS,
  };
  return new NodemailerMail(new SMTPTransport(options), options);
}

/**
 * Text and HTML over SMTP. The settings are resolved on the first send (a secret read once per
 * cold start), and the transport is kept for the container's life.
 */
export function smtpMailer(settings: () => Promise<SmtpSettings>, from: string): Mailer {
  let transport: ReturnType<typeof smtpTransport> | undefined;
  return async (mail) => {
    transport ??= settings().then(smtpTransport);
    transport.catch(() => {
      transport = undefined;
    });
    const replyTo = replyToOf(mail, from);
    try {
      await (await transport).sendMail({
        from,
        to: mail.to,
        ...(replyTo ? { replyTo } : {}),
        subject: mail.subject,
        text: mail.text,
        ...(mail.html ? { html: mail.html } : {}),
        messageId: messageIdFor(mail, from),
      });
    } catch (error) {
      throw mailFailed(error, { refusedForGood: refusedForGood(error) });
    }
  };
}

/**
 * Whether the relay refused this recipient for good, so that sending the notice again would be
 * refused again: only a permanent reply (5xx) to RCPT TO, the one command that names the recipient
 * (nodemailer's EENVELOPE with the command and reply code). Everything that would refuse every mail
 * stays a failure the step retries and then shows (an operator fixes it, and a run after the fix
 * sends): a 5xx to the login (535), to MAIL FROM (sender not allowed), to the greeting ("554 too
 * many connections", a quota), to STARTTLS (530) or after the data. Nor a try-later reply (4xx), a
 * timeout or a lost connection, which a retry may get through.
 */
export function refusedForGood(error: unknown): boolean {
  const reply = error as { code?: string; command?: string; responseCode?: number } | undefined;
  const code = reply?.responseCode;
  return (
    reply?.code === 'EENVELOPE' &&
    reply.command === 'RCPT TO' &&
    typeof code === 'number' &&
    code >= 500 &&
    code < 600
  );
}
