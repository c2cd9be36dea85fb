import { type Mail, mailFailed } from '../../../functions/ports/mail.js';
import { copy } from './aws-errors.js';

/**
 * The mail outbox: what was sent, to whom; a send can be made to fail, as SES and the SMTP relay
 * sometimes do — thrown as every transport of functions/adapters/mailer.ts throws it.
 */
export interface Outbox {
  send(mail: Mail): Promise<void>;
  readonly sent: readonly Mail[];
  /** The mails sent to `address`, oldest first. */
  to(address: string): Mail[];
  /**
   * The next `count` sends (of the mails `only` picks) throw `error` and send nothing: by default,
   * SES's throttle as the adapters throw it.
   */
  failNext(count?: number, error?: Error, only?: (mail: Mail) => boolean): void;
  /** Every mail to `address` is refused for good from now on, as a relay refuses a mailbox that does not exist (550). */
  refuse(address: string): void;
}

/** What a transport throws for a mail the relay refused for good: SMTP's 550 to the recipient. */
export const refusedForGood = (address: string) =>
  mailFailed(
    Object.assign(
      new Error(`Can't send mail - all recipients were rejected: 550 5.1.1 <${address}>: no such user`),
      {
        code: 'EENVELOPE',
        command: 'RCPT TO',
        responseCode: 550,
      },
    ),
    { refusedForGood: true },
  );

export function memoryOutbox(): Outbox {
  const sent: Mail[] = [];
  let failures: { error: Error; only: (mail: Mail) => boolean }[] = [];
  const refused = new Set<string>();
  return {
    sent,
    async send(mail) {
      if (refused.has(mail.to)) throw refusedForGood(mail.to);
      const failure = failures.find((f) => f.only(mail));
      if (failure) {
        failures = failures.filter((f) => f !== failure);
        throw failure.error;
      }
      sent.push(copy(mail));
    },
    to: (address) => sent.filter((m) => m.to === address).map(copy),
    refuse(address) {
      refused.add(address);
    },
    failNext(
      count = 1,
      error = mailFailed(
        Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'TooManyRequestsException' }),
      ),
      only = () => true,
    ) {
      failures = [...failures, ...Array.from({ length: count }, () => ({ error, only }))];
    },
  };
}
