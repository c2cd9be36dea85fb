import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { type IncomingMessage, type ServerResponse, validateHeaderValue } from 'node:http';
import { join } from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { discardRest, type FormHead, malformedForm, readFormHead } from './post-form.js';
import { checkPolicy, parsePolicy, sizeRange } from './post-policy.js';
import { answerStored } from './post-response.js';
import { S3Error } from './s3-error.js';
import { ALGORITHM, hexHmac, parseAmzDate, parseCredential, sameSignature, signingKey } from './sigv4.js';
import { assertStorableKey } from './storable-key.js';
import type { Upstream } from './upstream.js';
import { isLaurelMeta, storeVersion } from './versions.js';

export interface PostUploadContext {
  bucket: string;
  upstream: Upstream;
  secretFor(accessKeyId: string): string | undefined;
  /** IAM: whether the signer of the form may put this key (a presigned form carries its signer's rights). */
  authorize?(accessKeyId: string, bucket: string, key: string): void;
  /** Where a file waits, on disk, until all its checks have passed. */
  spoolDir: string;
  now(): Date;
}

/** Form fields S3 stores with the object as its headers; s3rver keeps these. */
export const STORED_AS_HEADERS = new Set([
  'cache-control',
  'content-disposition',
  'content-encoding',
  'content-language',
  'content-type',
  'expires',
  'x-amz-storage-class',
  'x-amz-website-redirect-location',
]);

const required = (fields: ReadonlyMap<string, string>, name: string) => {
  const value = fields.get(name);
  if (value === undefined) {
    throw new S3Error(
      'InvalidArgument',
      `Bucket POST must contain a field named '${name}'.  If it is specified, please check the order of the fields.`,
      { ArgumentName: name, ArgumentValue: '' },
    );
  }
  return value;
};

/** The SigV4 POST signature: hex HMAC-SHA256 of the base64 policy under the derived signing key. */
function checkSignature(fields: ReadonlyMap<string, string>, context: PostUploadContext): void {
  // Without a policy the upload is anonymous, which only a public-write bucket accepts.
  if (!fields.has('policy')) throw new S3Error('AccessDenied', 'Access Denied');
  const algorithm = required(fields, 'x-amz-algorithm');
  if (algorithm !== ALGORITHM) {
    throw new S3Error('InvalidArgument', 'Only AWS4-HMAC-SHA256 is supported for x-amz-algorithm.', {
      ArgumentName: 'x-amz-algorithm',
      ArgumentValue: algorithm,
    });
  }
  const credential = required(fields, 'x-amz-credential');
  const amzDate = required(fields, 'x-amz-date');
  const signature = required(fields, 'x-amz-signature');
  const policy = required(fields, 'policy');

  const scope = parseCredential(credential);
  if (scope?.service !== 's3') {
    throw new S3Error('InvalidArgument', `Invalid credential: ${credential}`, {
      ArgumentName: 'x-amz-credential',
      ArgumentValue: credential,
    });
  }
  if (!parseAmzDate(amzDate) || amzDate.slice(0, 8) !== scope.shortDate) {
    throw new S3Error('InvalidArgument', 'x-amz-date must be an ISO 8601 basic date of the credential day.', {
      ArgumentName: 'x-amz-date',
      ArgumentValue: amzDate,
    });
  }
  const secret = context.secretFor(scope.accessKeyId);
  if (secret === undefined) {
    throw new S3Error(
      'InvalidAccessKeyId',
      'The AWS Access Key Id you provided does not exist in our records.',
      {
        AWSAccessKeyId: scope.accessKeyId,
      },
    );
  }
  const expected = hexHmac(signingKey(secret, scope.shortDate, scope.region, 's3'), policy);
  if (!sameSignature(expected, signature)) {
    throw new S3Error(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. ' +
        'Check your key and signing method.',
      { AWSAccessKeyId: scope.accessKeyId, StringToSign: policy, SignatureProvided: signature },
    );
  }
}

/**
 * `${filename}` becomes the name the browser gave, without any folder part (S3 keeps only
 * what follows the last / or \).
 */
function objectKey(keyField: string, filename: string): string {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: S3's own placeholder, written literally in forms.
  const key = keyField.replaceAll('${filename}', filename.split(/[/\\]/).pop() ?? '');
  if (key.length === 0) {
    throw new S3Error('InvalidArgument', 'User key must have a length greater than 0.', {
      ArgumentName: 'key',
    });
  }
  if (Buffer.byteLength(key) > 1024) {
    throw new S3Error('KeyTooLongError', 'Your key is too long', {
      Size: Buffer.byteLength(key),
      MaxSizeAllowed: 1024,
    });
  }
  assertStorableKey(key);
  return key;
}

function storedHeaders(fields: ReadonlyMap<string, string>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of fields) {
    if (!STORED_AS_HEADERS.has(name) && !name.startsWith('x-amz-meta-')) continue;
    if (isLaurelMeta(name)) continue;
    try {
      validateHeaderValue(name, value);
    } catch {
      throw new S3Error('InvalidArgument', `Invalid value for ${name}`, {
        ArgumentName: name,
        ArgumentValue: value,
      });
    }
    headers[name] = value;
  }
  return headers;
}

/**
 * Writes the file to `path` and returns its size, failing with EntityTooLarge as soon as it
 * passes `max` bytes: at most max bytes reach the disk, nothing is held in memory.
 */
export async function spool(file: Readable, path: string, max: number): Promise<number> {
  let size = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > max) {
        done(
          new S3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', {
            MaxSizeAllowed: max,
          }),
        );
      } else {
        done(null, chunk);
      }
    },
  });
  try {
    await pipeline(file, limit, createWriteStream(path));
  } catch (error) {
    if (error instanceof S3Error) throw error;
    // The browser went away or the multipart body ended inside the file.
    throw malformedForm();
  }
  return size;
}

/**
 * A browser upload by presigned POST: the form's fields are checked (signature, expiry, every
 * condition) before the file is read, the file is spooled to disk within the policy's size
 * range, and only then stored in s3rver. Any failure throws the S3Error S3 would answer with
 * and leaves nothing stored.
 */
export async function handlePostUpload(
  req: IncomingMessage,
  res: ServerResponse,
  context: PostUploadContext,
): Promise<void> {
  let head: FormHead | undefined;
  const spoolPath = join(context.spoolDir, randomUUID());
  try {
    head = await readFormHead(req);
    const { fields, file, filename } = head;
    const keyField = required(fields, 'key');
    checkSignature(fields, context);
    const policy = parsePolicy(required(fields, 'policy'));
    checkPolicy(policy, fields, context.bucket, context.now());
    const key = objectKey(keyField, filename);
    context.authorize?.(
      parseCredential(required(fields, 'x-amz-credential'))?.accessKeyId ?? '',
      context.bucket,
      key,
    );
    const headers = storedHeaders(fields);
    const { min, max } = sizeRange(policy);

    const size = await spool(file, spoolPath, max);
    if (size < min) {
      throw new S3Error('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size', {
        ProposedSize: size,
        MinSizeAllowed: min,
      });
    }
    // S3 ignores whatever follows the file.
    discardRest(req);

    const { answer, versionId, checksums } = await storeVersion(
      context.upstream,
      { bucket: context.bucket, key, headers },
      { path: spoolPath, size },
      (name) => fields.get(name),
    );
    if (answer.status !== 200) {
      // s3rver's own refusal (NoSuchBucket, InvalidStorageClass…) is already S3's XML: pass it on.
      res.writeHead(answer.status, {
        'content-type': answer.headers['content-type'] ?? 'application/xml',
        'content-length': answer.body.length,
      });
      res.end(answer.body);
      return;
    }
    res.setHeader('x-amz-version-id', versionId);
    for (const [algorithm, value] of Object.entries(checksums))
      res.setHeader(`x-amz-checksum-${algorithm}`, value);
    answerStored(req, res, fields, { bucket: context.bucket, key, etag: answer.headers.etag ?? '' });
  } catch (error) {
    discardRest(req, head?.file);
    throw error;
  } finally {
    await rm(spoolPath, { force: true });
  }
}
