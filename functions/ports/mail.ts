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

/**
 * The Mailer's error. `refusedForGood` is the transport's own reading of its answer: only the
 * transport knows what its refusals mean (smtp-mailer.ts tells a relay's refusal of this recipient
 * from one that refuses every mail; SES never refuses a recipient when it accepts the call).
 */
export const mailFailed = (cause: unknown, reading: { refusedForGood?: boolean } = {}): Error =>
  Object.assign(new Error(`mail not accepted: ${(cause as Error)?.message ?? String(cause)}`, { cause }), {
    name: MAIL_FAILED,
    refusedForGood: reading.refusedForGood === true,
  });

/**
 * A Laurel.MailFailed whose transport said the recipient is refused for good, so that sending the
 * same notice again would be refused again.
 */
export const isRefusedForGood = (error: unknown): boolean =>
  (error as { name?: string })?.name === MAIL_FAILED &&
  (error as { refusedForGood?: boolean }).refusedForGood === true;
