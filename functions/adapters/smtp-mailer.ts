import NodemailerMail from 'nodemailer/lib/mailer';
import SMTPTransport from 'nodemailer/lib/smtp-transport';
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
 */
export function smtpTransport(settings: SmtpSettings) {
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
  let transport: Promise<ReturnType<typeof smtpTransport>> | undefined;
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
      throw mailFailed(error);
    }
  };
}
