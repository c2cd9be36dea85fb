/** One message, as every use case composes it and every transport sends it. */
export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/** Sends one message; throws when the transport refuses it (the caller's retry decides). */
export type Mailer = (mail: Mail) => Promise<void>;
