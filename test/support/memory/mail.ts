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
}

export function memoryOutbox(): Outbox {
  const sent: Mail[] = [];
  let failures: { error: Error; only: (mail: Mail) => boolean }[] = [];
  return {
    sent,
    async send(mail) {
      const failure = failures.find((f) => f.only(mail));
      if (failure) {
        failures = failures.filter((f) => f !== failure);
        throw failure.error;
      }
      sent.push(copy(mail));
    },
    to: (address) => sent.filter((m) => m.to === address).map(copy),
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
