import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { addCorsHeaders, answerPreflight, type CorsOrigins } from './cors.js';
import { multipartActionOf, multipartUploads } from './multipart.js';
import { answerDeleteVersion, answerListVersions } from './object-versions.js';
import { handlePostUpload } from './post-upload.js';
import { verifyPresignedRequest } from './presigned-url.js';
import { handlePutObject } from './put-object.js';
import { S3Error, sendS3Error } from './s3-error.js';
import { uriDecode } from './sigv4.js';
import { assertStorableKey } from './storable-key.js';
import { keyPath, proxy, type Upstream } from './upstream.js';
import { isVersionsBucket, objectAnswerHeaders, versionKey, versionsBucket } from './versions.js';

export interface GatewayOptions {
  upstream: Upstream;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** More access keys (the functions'), each with the same local secret. */
  accessKeys?: readonly string[];
  /** IAM: throws S3's AccessDenied when the key may not do `action` on the ARN. */
  authorize?: (accessKeyId: string, action: string, resource: string) => void;
  corsOrigins: CorsOrigins;
  spoolDir: string;
}

/** The access key a header-signed request names: SigV4 `Credential=AKID/…`, or SigV2 `AWS AKID:sig`. */
function accessKeyOfHeader(authorization: string): string | undefined {
  return (
    /^AWS4-HMAC-SHA256\s.*Credential=([^/,\s]+)\//.exec(authorization)?.[1] ??
    /^AWS ([^:\s]+):/.exec(authorization)?.[1]
  );
}

/**
 * The S3 endpoint clients talk to, in front of s3rver. It enforces what S3 enforces and s3rver
 * does not:
 * - browser POST uploads (multipart/form-data to /<bucket>): POST policy signature, expiry,
 *   conditions and size range, before anything is stored;
 * - presigned URLs (X-Amz-Algorithm in the query): signature, access key and expiry;
 * - buckets are private: a request with no credentials at all is refused, as S3 would;
 * - buckets are versioned and keep checksums (versions.ts): an object PUT or POST makes a new
 *   version, reads take `?versionId=`, a wrong `x-amz-checksum-*` is BadDigest.
 * Header-signed SDK requests go to s3rver unchanged (s3rver checks their access key, not their
 * signature). Every answer carries CORS headers for the configured origins.
 */
export function createGateway(options: GatewayOptions): Server {
  const { accessKeyId, secretAccessKey } = options.credentials;
  const known = new Set([accessKeyId, ...(options.accessKeys ?? [])]);
  const secretFor = (id: string) => (known.has(id) ? secretAccessKey : undefined);
  /** The S3 action a request is, on its bucket or object ARN. */
  const check = (
    id: string | undefined,
    method: string,
    bucket: string,
    key: string,
    query: URLSearchParams,
  ) => {
    if (!options.authorize || id === undefined || bucket === '') return;
    const onObject = key !== '';
    const action = !onObject
      ? // Listing versions is its own action in IAM, as is deleting one version.
        query.has('versions')
        ? 's3:ListBucketVersions'
        : 's3:ListBucket'
      : method === 'GET' || method === 'HEAD'
        ? // Reading a named version is its own action in IAM.
          query.has('versionId')
          ? 's3:GetObjectVersion'
          : 's3:GetObject'
        : method === 'DELETE'
          ? // Aborting a multipart upload is its own action in IAM.
            query.has('uploadId')
            ? 's3:AbortMultipartUpload'
            : query.has('versionId')
              ? 's3:DeleteObjectVersion'
              : 's3:DeleteObject'
          : 's3:PutObject';
    options.authorize(id, action, `arn:aws-cn:s3:::${bucket}${onObject ? `/${key}` : ''}`);
  };
  const unknownKey = (id: string) =>
    new S3Error('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', {
      AWSAccessKeyId: id,
    });

  const putContext = { upstream: options.upstream, spoolDir: options.spoolDir };
  const multipart = multipartUploads(putContext);

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    addCorsHeaders(req, res, options.corsOrigins);
    const method = req.method ?? 'GET';
    if (method === 'OPTIONS') return answerPreflight(req, res, options.corsOrigins);

    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    const rawPath = queryAt < 0 ? url : url.slice(0, queryAt);
    const rawQuery = queryAt < 0 ? '' : url.slice(queryAt + 1);
    const [, rawBucket = '', ...rawKey] = rawPath.split('/');
    const bucket = uriDecode(rawBucket);
    const key = rawKey.map(uriDecode).join('/');
    if (key !== '') assertStorableKey(key);
    const query = new URLSearchParams(rawQuery);
    if (isVersionsBucket(bucket)) throw new S3Error('NoSuchBucket', 'The specified bucket does not exist');

    /**
     * Object reads go to the version asked for (`?versionId=`), or to the current one; either
     * way the answer names its version and, when asked, its checksums.
     */
    const readObject = () => {
      const versionId = query.get('versionId');
      let path: string | undefined;
      if (versionId !== null) {
        const rest = new URLSearchParams(query);
        rest.delete('versionId');
        const tail = rest.toString();
        path = `${keyPath(versionsBucket(bucket), versionKey(versionId, key))}${tail ? `?${tail}` : ''}`;
      }
      const checksumMode = String(req.headers['x-amz-checksum-mode'] ?? '').toUpperCase() === 'ENABLED';
      return proxy(req, res, options.upstream, {
        ...(path === undefined ? {} : { path }),
        answerHeaders: (headers) => objectAnswerHeaders(headers, checksumMode),
      });
    };
    const isObjectRead = (method === 'GET' || method === 'HEAD') && bucket !== '' && key !== '';
    const isObjectPut =
      method === 'PUT' &&
      bucket !== '' &&
      key !== '' &&
      req.headers['x-amz-copy-source'] === undefined &&
      !query.has('uploadId') &&
      !query.has('partNumber');
    const multipartAction = bucket !== '' && key !== '' ? multipartActionOf(method, query) : undefined;
    const isListVersions = method === 'GET' && bucket !== '' && key === '' && query.has('versions');
    const versionToDelete = method === 'DELETE' && key !== '' ? query.get('versionId') : null;
    /** What S3 answers itself and s3rver knows nothing of: versions, listed or deleted one by one. */
    const versioned = () =>
      versionToDelete === null
        ? answerListVersions(res, options.upstream, bucket, query)
        : answerDeleteVersion(res, options.upstream, { bucket, key, versionId: versionToDelete });

    if (query.has('X-Amz-Algorithm')) {
      verifyPresignedRequest(
        {
          method,
          rawPath,
          rawQuery,
          headerValues: (name) => req.headersDistinct[name] ?? [],
        },
        secretFor,
        new Date(),
      );
      check(query.get('X-Amz-Credential')?.split('/')[0], method, bucket, key, query);
      if (isListVersions || versionToDelete !== null) return versioned();
      if (isObjectRead) return readObject();
      if (isObjectPut) return handlePutObject(req, res, { bucket, key, ...putContext });
      if (multipartAction) return multipart.handle(multipartAction, req, res, { bucket, key, query });
      return proxy(req, res, options.upstream);
    }

    const authorization = req.headers.authorization;
    if (authorization !== undefined) {
      const id = accessKeyOfHeader(authorization);
      if (id !== undefined && secretFor(id) === undefined) throw unknownKey(id);
      check(id, method, bucket, key, query);
      if (isListVersions || versionToDelete !== null) return versioned();
      if (isObjectRead) return readObject();
      if (isObjectPut) return handlePutObject(req, res, { bucket, key, ...putContext });
      if (multipartAction) return multipart.handle(multipartAction, req, res, { bucket, key, query });
      return proxy(req, res, options.upstream);
    }
    const v2KeyId = query.get('AWSAccessKeyId');
    if (v2KeyId !== null) {
      if (secretFor(v2KeyId) === undefined) throw unknownKey(v2KeyId);
      check(v2KeyId, method, bucket, key, query);
      if (isListVersions || versionToDelete !== null) return versioned();
      return proxy(req, res, options.upstream);
    }

    if (method === 'POST' && bucket !== '' && key === '') {
      return handlePostUpload(req, res, {
        bucket,
        upstream: options.upstream,
        secretFor,
        ...(options.authorize
          ? {
              authorize: (id: string, postBucket: string, postKey: string) =>
                options.authorize?.(id, 's3:PutObject', `arn:aws-cn:s3:::${postBucket}/${postKey}`),
            }
          : {}),
        spoolDir: options.spoolDir,
        now: () => new Date(),
      });
    }

    // Laurel's buckets are private: no credentials, no access.
    throw new S3Error('AccessDenied', 'Access Denied');
  }

  return createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      const s3Error =
        error instanceof S3Error
          ? error
          : new S3Error('InternalError', 'We encountered an internal error. Please try again.');
      if (!(error instanceof S3Error)) console.error('local S3 gateway:', error);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      // Drop what an unread body still holds, so the client gets this answer.
      req.resume();
      sendS3Error(res, req.method, s3Error);
    });
  });
}
