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
 * Whether the transport's answer refuses this recipient for good, so that sending the notice again
 * would be refused again: only an SMTP relay's permanent reply (5xx) to RCPT TO, the one command
 * that names the recipient. Everything that would refuse every mail stays a failure the step
 * retries and then shows (an operator fixes it, and a run after the fix sends): a 5xx to the login
 * (535), to MAIL FROM (sender not allowed), to the greeting ("554 too many connections", a quota)
 * or to STARTTLS (530), and SES's MessageRejected (an unverified sender, the sandbox — SES turns a
 * bad recipient into a bounce after accepting, not a refusal). Nor a try-later reply (4xx), a
 * throttle, a timeout or a lost connection, which a retry may get through.
 */
function refusedForGood(cause: unknown): boolean {
  const error = cause as { code?: string; command?: string; responseCode?: number } | undefined;
  const reply = error?.responseCode;
  return (
    error?.code === 'EENVELOPE' &&
    error.command === 'RCPT TO' &&
    typeof reply === 'number' &&
    reply >= 500 &&
    reply < 600
  );
}

/** A Laurel.MailFailed whose transport refused the message for good (see refusedForGood). */
export const isRefusedForGood = (error: unknown): boolean =>
  (error as { name?: string })?.name === MAIL_FAILED &&
  (error as { refusedForGood?: boolean }).refusedForGood === true;
