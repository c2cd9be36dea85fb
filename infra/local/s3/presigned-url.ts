import { S3Error } from './s3-error.js';
import {
  ALGORITHM,
  canonicalHeaders,
  canonicalQuery,
  canonicalUri,
  hexHmac,
  parseAmzDate,
  parseCredential,
  parseQuery,
  sameSignature,
  sha256Hex,
  signingKey,
} from './sigv4.js';

/** S3's ceiling for X-Amz-Expires: seven days. */
const MAX_EXPIRES_SECONDS = 604_800;

const REQUIRED = [
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Date',
  'X-Amz-Expires',
  'X-Amz-SignedHeaders',
  'X-Amz-Signature',
] as const;

export interface PresignedRequest {
  method: string;
  /** The path exactly as the client sent it, still percent-encoded. */
  rawPath: string;
  rawQuery: string;
  /** Every value the client sent for a header (lower-case name), in order. */
  headerValues(name: string): string[];
}

const queryError = (message: string) => new S3Error('AuthorizationQueryParametersError', message);

/**
 * Checks a SigV4 query-signed request the way S3 does: the parameters, the access key, the
 * validity window (X-Amz-Date + X-Amz-Expires), then the signature over the canonical request
 * rebuilt from what arrived. Throws the S3Error S3 would answer with.
 */
export function verifyPresignedRequest(
  request: PresignedRequest,
  secretFor: (accessKeyId: string) => string | undefined,
  now: Date,
): void {
  const pairs = parseQuery(request.rawQuery);
  const param = (name: string) => pairs.find(([n]) => n === name)?.[1];
  if (REQUIRED.some((name) => param(name) === undefined)) {
    throw queryError(
      'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, ' +
        'X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
    );
  }
  const value = (name: (typeof REQUIRED)[number]) => param(name) ?? '';

  if (value('X-Amz-Algorithm') !== ALGORITHM)
    throw queryError('X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"');

  const amzDate = value('X-Amz-Date');
  const signedAt = parseAmzDate(amzDate);
  if (!signedAt) throw queryError("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");

  const scope = parseCredential(value('X-Amz-Credential'));
  if (scope?.service !== 's3' || scope.shortDate !== amzDate.slice(0, 8)) {
    throw queryError(`Error parsing the X-Amz-Credential parameter: ${value('X-Amz-Credential')}`);
  }

  const expiresText = value('X-Amz-Expires');
  const expires = /^\d+$/.test(expiresText) ? Number(expiresText) : Number.NaN;
  if (Number.isNaN(expires)) throw queryError('X-Amz-Expires should be a number');
  if (expires > MAX_EXPIRES_SECONDS) {
    throw queryError('X-Amz-Expires must be less than a week (in seconds) that is; 604800 seconds');
  }

  const secret = secretFor(scope.accessKeyId);
  if (secret === undefined) {
    throw new S3Error(
      'InvalidAccessKeyId',
      'The AWS Access Key Id you provided does not exist in our records.',
      {
        AWSAccessKeyId: scope.accessKeyId,
      },
    );
  }

  const serverTime = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (signedAt.getTime() > now.getTime()) {
    throw new S3Error('AccessDenied', 'Request is not valid yet', {
      'X-Amz-Date': amzDate,
      ServerTime: serverTime,
    });
  }
  const expiresAt = new Date(signedAt.getTime() + expires * 1000);
  if (now.getTime() > expiresAt.getTime()) {
    throw new S3Error('AccessDenied', 'Request has expired', {
      'X-Amz-Expires': expiresText,
      Expires: expiresAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      ServerTime: serverTime,
    });
  }

  const signedHeaders = value('X-Amz-SignedHeaders').split(';');
  // S3 refuses a presigned URL that does not bind the host it is meant for.
  if (!signedHeaders.includes('host')) {
    throw queryError('X-Amz-SignedHeaders must include the host header');
  }

  const canonicalRequest = [
    request.method,
    canonicalUri(request.rawPath),
    canonicalQuery(pairs, 'X-Amz-Signature'),
    canonicalHeaders(signedHeaders, (name) => request.headerValues(name)),
    signedHeaders.join(';'),
    // Presigned S3 URLs do not sign the body unless the signer hoisted a hash into the query.
    param('X-Amz-Content-Sha256') ?? 'UNSIGNED-PAYLOAD',
  ].join('\n');
  const credentialScope = `${scope.shortDate}/${scope.region}/s3/aws4_request`;
  const stringToSign = [ALGORITHM, amzDate, credentialScope, sha256Hex(canonicalRequest)].join('\n');
  const expected = hexHmac(signingKey(secret, scope.shortDate, scope.region, 's3'), stringToSign);

  if (!sameSignature(expected, value('X-Amz-Signature'))) {
    throw new S3Error(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. ' +
        'Check your key and signing method.',
      { AWSAccessKeyId: scope.accessKeyId, StringToSign: stringToSign, CanonicalRequest: canonicalRequest },
    );
  }
}
