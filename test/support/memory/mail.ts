import type { Mail } from '../../../functions/ports/mail.js';
import { copy } from './aws-errors.js';

/** The mail outbox: what was sent, to whom; a send can be made to fail, as SES sometimes does. */
export interface Outbox {
  send(mail: Mail): Promise<void>;
  readonly sent: readonly Mail[];
  /** The mails sent to `address`, oldest first. */
  to(address: string): Mail[];
  /** The next `count` sends throw `error` (and send nothing). */
  failNext(count?: number, error?: Error): void;
}

export function memoryOutbox(): Outbox {
  const sent: Mail[] = [];
  let failures: Error[] = [];
  return {
    sent,
    async send(mail) {
      const failure = failures.shift();
      if (failure) throw failure;
      sent.push(copy(mail));
    },
    to: (address) => sent.filter((m) => m.to === address).map(copy),
    failNext(
      count = 1,
      error = Object.assign(new Error('Throttling: Maximum sending rate exceeded'), {
        name: 'TooManyRequestsException',
      }),
    ) {
      failures = [...failures, ...Array.from({ length: count }, () => error)];
    },
  };
}
