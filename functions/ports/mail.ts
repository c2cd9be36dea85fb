/** One message, as every use case composes it and every transport sends it. */
export interface Mail {
  to: string;
  subject: string;
  /** The plain-text part; every transport also sends `html` when given, as multipart/alternative. */
  text: string;
  /** The HTML part: escaped user text, links only where the use case put one (rules/mail-body.ts). */
  html?: string;
  /**
   * Whom a reply reaches: the campaign's secretariat. The campaigns name their office but no
   * address, so a transport uses the configured sender address under this display name.
   */
  replyTo?: { name: string; address?: string };
  /**
   * What identifies this send (e.g. the audit key of a notice): the transport derives the
   * Message-ID from it, so a retry of the same send carries the same Message-ID.
   */
  key?: string;
}

/**
 * Sends one message; throws `Laurel.MailFailed` (mailFailed) when the transport did not accept
 * it — refused, throttled, or no answer — and the caller's retry decides: the state machine
 * retries it on every task whose function mails, a person sends the request again. A notice
 * refused for good (isRefusedForGood) is recorded as not delivered instead (mailOnce).
 */
export type Mailer = (mail: Mail) => Promise<void>;

/** The error every Mailer throws for a message not accepted; the state machines retry it by name. */
export const MAIL_FAILED = 'Laurel.MailFailed';

export const mailFailed = (cause: unknown): Error =>
  Object.assign(new Error(`mail not accepted: ${(cause as Error)?.message ?? String(cause)}`, { cause }), {
    name: MAIL_FAILED,
    refusedForGood: refusedForGood(cause),
  });

/**
 * Whether the transport's answer refuses this message for good, so that sending it again would be
 * refused again: an SMTP relay's permanent reply (5xx) to the recipient or to the message, or
 * SES's MessageRejected. Not a 5xx to the login (535: a wrong password refuses every mail, which
 * operators fix; the step fails and is run again), nor a try-later reply (4xx), a throttle, a
 * timeout or a lost connection, which a retry may get through.
 */
function refusedForGood(cause: unknown): boolean {
  const error = cause as { name?: string; code?: string; responseCode?: number } | undefined;
  if (error?.name === 'MessageRejected') return true;
  const reply = error?.responseCode;
  return typeof reply === 'number' && reply >= 500 && reply < 600 && error?.code !== 'EAUTH';
}

/** A Laurel.MailFailed whose transport refused the message for good (see refusedForGood). */
export const isRefusedForGood = (error: unknown): boolean =>
  (error as { name?: string })?.name === MAIL_FAILED &&
  (error as { refusedForGood?: boolean }).refusedForGood === true;
