import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The pieces of AWS Signature Version 4 that S3 uses to check browser uploads (POST policy)
 * and presigned URLs. Written from the published algorithm; node:crypto only.
 */

export const ALGORITHM = 'AWS4-HMAC-SHA256';

const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

export const sha256Hex = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');

/** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"). */
export function signingKey(
  secretAccessKey: string,
  shortDate: string,
  region: string,
  service: string,
): Buffer {
  const kDate = hmac(`AWS4${secretAccessKey}`, shortDate);
  return hmac(hmac(hmac(kDate, region), service), 'aws4_request');
}

export const hexHmac = (key: Buffer, data: string) =>
  createHmac('sha256', key).update(data, 'utf8').digest('hex');

/** Constant-time comparison, so a signature cannot be guessed a byte at a time from timings. */
export function sameSignature(expected: string, provided: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(provided, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface CredentialScope {
  accessKeyId: string;
  shortDate: string;
  region: string;
  service: string;
}

/** `AKID/20250101/cn-north-1/s3/aws4_request`; undefined when it is not of that shape. */
export function parseCredential(credential: string): CredentialScope | undefined {
  const parts = credential.split('/');
  if (parts.length !== 5) return undefined;
  const [accessKeyId, shortDate, region, service, terminator] = parts;
  if (!accessKeyId || !shortDate || !/^\d{8}$/.test(shortDate) || !region || !service) return undefined;
  if (terminator !== 'aws4_request') return undefined;
  return { accessKeyId, shortDate, region, service };
}

/** `20250101T120000Z` → Date, or undefined. */
export function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** RFC 3986 encoding as SigV4 canonicalises: everything but A-Z a-z 0-9 - _ . ~ is %XX (upper case). */
export const uriEncode = (text: string) =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** Decodes a URL component as S3 reads it; a malformed escape is kept as written. */
export function uriDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * S3's canonical URI: each path segment decoded once and re-encoded strictly, never
 * normalised (S3 keys are literal strings, so `a//b` and `a/./b` stay as they are).
 */
export const canonicalUri = (rawPath: string) =>
  rawPath === ''
    ? '/'
    : rawPath
        .split('/')
        .map((segment) => uriEncode(uriDecode(segment)))
        .join('/');

export type QueryPairs = Array<[name: string, value: string]>;

/**
 * Parses a raw query string into decoded pairs, keeping order and duplicates. `+` is left
 * as `+`: SigV4 signers encode spaces as %20, so a literal `+` means a plus sign.
 */
export function parseQuery(rawQuery: string): QueryPairs {
  if (rawQuery === '') return [];
  return rawQuery.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    return eq < 0 ? [uriDecode(pair), ''] : [uriDecode(pair.slice(0, eq)), uriDecode(pair.slice(eq + 1))];
  });
}

/** Every parameter but the signature, encoded, sorted by name then value. */
export function canonicalQuery(pairs: QueryPairs, omit: string): string {
  return pairs
    .filter(([name]) => name !== omit)
    .map(([name, value]) => [uriEncode(name), uriEncode(value)] as const)
    .sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

/** `name:value\n` per signed header: values trimmed, inner runs of spaces collapsed, repeats joined by ','. */
export function canonicalHeaders(signedHeaders: string[], valuesOf: (name: string) => string[]): string {
  return signedHeaders
    .map(
      (name) =>
        `${name}:${valuesOf(name)
          .map((v) => v.trim().replace(/\s+/g, ' '))
          .join(',')}\n`,
    )
    .join('');
}
