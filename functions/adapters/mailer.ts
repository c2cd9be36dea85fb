import { createHash, randomUUID } from 'node:crypto';
import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { type Mail, type Mailer, mailFailed } from '../ports/mail.js';

/**
 * The two mail transports behind the Mailer port, chosen by LAUREL_MAIL_TRANSPORT: SES v2 in the
 * global regions (here), SMTP over TLS to a relay (Alibaba Cloud DirectMail, Tencent Cloud SES…)
 * where SES is not offered (AWS China) and in the local cloud (smtp-mailer.ts: a module of its
 * own, so that a deployment's bundles carry only its transport, see wiring/mail.ts). Both send
 * text and HTML, Reply-To the campaign's secretariat, and an identity derived from the send's key,
 * so a retried send is recognisable; both throw Laurel.MailFailed when the message was not accepted.
 */

const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1) || 'localhost';

/** `<hash-of-key@sender-domain>`: the same for every attempt of one send, unique per send otherwise. */
export function messageIdFor(mail: Mail, from: string): string {
  const seed = mail.key ?? randomUUID();
  return `<${createHash('sha256').update(seed).digest('hex').slice(0, 32)}@${domainOf(from)}>`;
}

/** The Reply-To: the secretariat's address, or the sender address under the secretariat's name. */
export const replyToOf = (mail: Mail, from: string) =>
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
      // Never refused for good: SES refuses a call for what would refuse every mail (an unverified
      // sender, the sandbox, a quota, MessageRejected) and turns a bad recipient into a bounce
      // after it accepted the message, so every refusal here is one an operator or a retry fixes.
      throw mailFailed(error);
    }
  };
}
