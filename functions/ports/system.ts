/** What use cases need from the outside world, passed in by the handler (the composition root). */

export interface Clock {
  now(): Date;
}

export interface Secrets {
  /** A fresh, unguessable, URL-safe token. */
  token(): string;
  /** A one-way digest of a token, the only form in which tokens are stored. */
  hash(token: string): string;
}
