/** Kept apart from the transport, so the health probe reads a URL without bundling nodemailer. */

/** Where and how to reach an SMTP relay (the Secrets Manager secret's shape, or a local URL). */
export interface SmtpSettings {
  host: string;
  port: number;
  /** true: TLS from the first byte (port 465); false: STARTTLS, required unless `insecure`. */
  secure: boolean;
  user?: string;
  pass?: string;
  /** Only for the local catcher on this machine: plain SMTP, no STARTTLS required. */
  insecure?: boolean;
}

/** smtp://host:port (local, plain) or smtps://user:pass@host:port (TLS). */
export function smtpSettingsFromUrl(url: string): SmtpSettings {
  const u = new URL(url);
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') throw new Error(`not an SMTP URL: ${u.protocol}`);
  const secure = u.protocol === 'smtps:';
  return {
    host: u.hostname,
    port: Number(u.port || (secure ? 465 : 25)),
    secure,
    ...(u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : {}),
    insecure: !secure,
  };
}
