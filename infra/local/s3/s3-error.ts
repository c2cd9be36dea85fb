import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/** S3's error codes this gateway answers with, and the status S3 gives each. */
const STATUS_BY_CODE = {
  AccessDenied: 403,
  AuthorizationQueryParametersError: 400,
  EntityTooLarge: 400,
  EntityTooSmall: 400,
  InternalError: 500,
  InvalidAccessKeyId: 403,
  InvalidArgument: 400,
  InvalidPolicyDocument: 400,
  KeyTooLongError: 400,
  MalformedPOSTRequest: 400,
  MaxPostPreDataLengthExceeded: 400,
  PreconditionFailed: 412,
  SignatureDoesNotMatch: 403,
  BadRequest: 400,
  BadDigest: 400,
  InvalidPart: 400,
  InvalidPartOrder: 400,
  MalformedXML: 400,
  NoSuchUpload: 404,
  NoSuchBucket: 404,
  CORSResponse: 403,
} as const;

export type S3ErrorCode = keyof typeof STATUS_BY_CODE;

/**
 * An error S3 itself would answer with. `detail` becomes extra elements of the XML body
 * (S3 adds e.g. <MaxSizeAllowed> or <StringToSign>), so clients parse it as they would S3's.
 */
export class S3Error extends Error {
  readonly status: number;

  constructor(
    readonly code: S3ErrorCode,
    message: string,
    readonly detail: Record<string, string | number> = {},
  ) {
    super(message);
    this.name = 'S3Error';
    this.status = STATUS_BY_CODE[code];
  }
}

const escapeXml = (text: string) =>
  text.replace(/[<>&]/g, (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp' }[c]};`);

export const xmlElement = (name: string, value: string | number) =>
  `<${name}>${escapeXml(String(value))}</${name}>`;

export const requestId = () => randomBytes(8).toString('hex').toUpperCase();

export function errorXml(error: S3Error, id: string): string {
  const elements = [
    xmlElement('Code', error.code),
    xmlElement('Message', error.message),
    ...Object.entries(error.detail).map(([name, value]) => xmlElement(name, value)),
    xmlElement('RequestId', id),
  ];
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${elements.join('')}</Error>`;
}

/** Answers with S3's XML error body; HEAD gets the status alone, as from S3. */
export function sendS3Error(res: ServerResponse, method: string | undefined, error: S3Error): void {
  const id = requestId();
  const body = errorXml(error, id);
  res.writeHead(error.status, {
    'content-type': 'application/xml',
    'content-length': method === 'HEAD' ? 0 : Buffer.byteLength(body),
    'x-amz-request-id': id,
  });
  res.end(method === 'HEAD' ? undefined : body);
}
