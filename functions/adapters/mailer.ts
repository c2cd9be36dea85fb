import { createHash, randomUUID } from 'node:crypto';
import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import NodemailerMail from 'nodemailer/lib/mailer';
import SMTPTransport from 'nodemailer/lib/smtp-transport';
import { type Mail, type Mailer, mailFailed } from '../ports/mail.js';
import type { SmtpSettings } from './smtp-settings.js';

/**
 * The two mail transports behind the Mailer port, chosen by LAUREL_MAIL_TRANSPORT: SES v2 in the
 * global regions, SMTP over TLS to a relay (Alibaba Cloud DirectMail, Tencent Cloud SES…) where
 * SES is not offered (AWS China) and in the local cloud. Both send text and HTML, Reply-To the
 * campaign's secretariat, and an identity derived from the send's key, so a retried send is
 * recognisable; both throw Laurel.MailFailed when the message was not accepted.
 */

const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1) || 'localhost';

/** `<hash-of-key@sender-domain>`: the same for every attempt of one send, unique per send otherwise. */
export function messageIdFor(mail: Mail, from: string): string {
  const seed = mail.key ?? randomUUID();
  return `<${createHash('sha256').update(seed).digest('hex').slice(0, 32)}@${domainOf(from)}>`;
}

/** The Reply-To: the secretariat's address, or the sender address under the secretariat's name. */
const replyToOf = (mail: Mail, from: string) =>
  mail.replyTo ? { name: mail.replyTo.name, address: mail.replyTo.address ?? from } : undefined;

const quoted = (r: { name: string; address: string }) =>
  `"${r.name.replace(/["\\\r\n]/g, '')}" <${r.address}>`;

/** Text and HTML through SES v2 (SES sets the Message-ID; the send's identity goes in a header). */
export function sesMailer(ses: SESv2Client, from: string): Mailer {
  return async (mail) => {
    const replyTo = replyToOf(mail, from);
    try {
      await ses.send(
        new SendEmailCommand({
          FromEmailAddress: from,
          Destination: { ToAddresses: [mail.to] },
          ...(replyTo ? { ReplyToAddresses: [quoted(replyTo)] } : {}),
          Content: {
            Simple: {
              Subject: { Data: mail.subject, Charset: 'UTF-8' },
              Body: {
                Text: { Data: mail.text, Charset: 'UTF-8' },
                ...(mail.html ? { Html: { Data: mail.html, Charset: 'UTF-8' } } : {}),
              },
              Headers: [{ Name: 'X-Laurel-Message-Id', Value: messageIdFor(mail, from) }],
            },
          },
        }),
      );
    } catch (error) {
      throw mailFailed(error);
    }
  };
}

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
