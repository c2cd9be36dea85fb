import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { createPresignedPost, type PresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningS3, startS3 } from '../../infra/local/s3/index.js';
import { S3Error } from '../../infra/local/s3/s3-error.js';
import { jpeg } from '../fixtures/files.js';

const MiB = 1_048_576;
const BUCKET = 'laurel-uploads';
const CREDENTIALS = { accessKeyId: 'gateway-test', secretAccessKey: 'gateway-test-secret' };
const PHOTO_PREFIX = 'nominations/n-1/photos/';
const ORIGIN = 'http://localhost:5173';

let dataDir: string;
let s3: RunningS3;
let client: S3Client;
let listeningBefore: number;

const listeningServers = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length;

const clientFor = (endpoint: string) =>
  new S3Client({
    endpoint,
    region: 'cn-north-1',
    forcePathStyle: true,
    credentials: CREDENTIALS,
    // s3rver stores streamed uploads corrupted when the SDK adds its default checksums.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'laurel-s3-'));
  listeningBefore = listeningServers();
  s3 = await startS3({ dataDir, port: 0, buckets: [BUCKET], credentials: CREDENTIALS });
  client = clientFor(s3.endpoint);
});

afterAll(async () => {
  client?.destroy();
  await s3?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** The policy Laurel's upload handler gives a browser for a nomination photo: 1–3 MiB of JPEG under the prefix. */
const photoPost = (expires?: number) =>
  createPresignedPost(client, {
    Bucket: BUCKET,
    Key: `${PHOTO_PREFIX}\${filename}`,
    Conditions: [
      ['starts-with', '$key', PHOTO_PREFIX],
      ['content-length-range', MiB, 3 * MiB],
      ['eq', '$Content-Type', 'image/jpeg'],
    ],
    Fields: { 'Content-Type': 'image/jpeg' },
    ...(expires === undefined ? {} : { Expires: expires }),
  });

/** Posts the form as a browser does: the fields first, the file last. */
async function postForm(
  post: PresignedPost,
  file: { bytes: Uint8Array; name: string },
  override: Record<string, string> = {},
) {
  const form = new FormData();
  for (const [name, value] of Object.entries({ ...post.fields, ...override })) form.append(name, value);
  form.append('file', new Blob([file.bytes], { type: 'image/jpeg' }), file.name);
  const response = await fetch(post.url, { method: 'POST', body: form, headers: { origin: ORIGIN } });
  return { response, body: await response.text() };
}

const uniqueName = () => `${randomUUID()}.jpg`;

async function readObject(key: string) {
  const object = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return { bytes: await object.Body?.transformToByteArray(), contentType: object.ContentType };
}

const expectNotStored = (key: string) =>
  expect(client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }))).rejects.toMatchObject({
    name: 'NotFound',
  });

describe('local S3 gateway: presigned POST', () => {
  it('stores a 2 MB JPEG within the policy, with its bytes and Content-Type, and exposes its ETag', async () => {
    const post = await photoPost();
    const name = uniqueName();
    const bytes = jpeg(2 * MiB);

    const { response } = await postForm(post, { bytes, name });

    expect(response.status).toBe(204);
    expect(response.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);
    expect(response.headers.get('access-control-expose-headers')).toContain('ETag');
    const stored = await readObject(`${PHOTO_PREFIX}${name}`);
    expect(stored.contentType).toBe('image/jpeg');
    expect(Buffer.from(stored.bytes ?? []).equals(Buffer.from(bytes))).toBe(true);
  });

  it('refuses 0.9 MB as EntityTooSmall and stores nothing', async () => {
    const name = uniqueName();

    const { response, body } = await postForm(await photoPost(), {
      bytes: jpeg(Math.round(0.9 * MiB)),
      name,
    });

    expect(response.status).toBe(400);
    expect(body).toContain('<Code>EntityTooSmall</Code>');
    await expectNotStored(`${PHOTO_PREFIX}${name}`);
  });

  it('refuses 3.1 MB as EntityTooLarge and stores nothing', async () => {
    const name = uniqueName();

    const { response, body } = await postForm(await photoPost(), {
      bytes: jpeg(Math.round(3.1 * MiB)),
      name,
    });

    expect(response.status).toBe(400);
    expect(body).toContain('<Code>EntityTooLarge</Code>');
    await expectNotStored(`${PHOTO_PREFIX}${name}`);
  });

  it('refuses a key outside the signed prefix', async () => {
    const key = `nominations/n-2/photos/${uniqueName()}`;

    const { response, body } = await postForm(
      await photoPost(),
      { bytes: jpeg(2 * MiB), name: 'x.jpg' },
      { key },
    );

    expect(response.status).toBe(403);
    expect(body).toContain('<Code>AccessDenied</Code>');
    expect(body).toContain('Policy Condition failed: ["starts-with", "$key", "nominations/n-1/photos/"]');
    await expectNotStored(key);
  });

  it('refuses a Content-Type other than the signed one', async () => {
    const name = uniqueName();

    const { response, body } = await postForm(
      await photoPost(),
      { bytes: jpeg(2 * MiB), name },
      { 'Content-Type': 'image/png' },
    );

    expect(response.status).toBe(403);
    expect(body).toContain('Invalid according to Policy: Policy Condition failed:');
    expect(body).toContain('$Content-Type');
    await expectNotStored(`${PHOTO_PREFIX}${name}`);
  });

  it('refuses an expired policy with AccessDenied', async () => {
    const name = uniqueName();
    // Signed by the SDK as usual, with an expiration a minute in the past.
    const expired = await photoPost(-60);

    const { response, body } = await postForm(expired, { bytes: jpeg(2 * MiB), name });

    expect(response.status).toBe(403);
    expect(body).toContain('<Code>AccessDenied</Code>');
    expect(body).toContain('<Message>Invalid according to Policy: Policy expired.</Message>');
    await expectNotStored(`${PHOTO_PREFIX}${name}`);
  });

  it('refuses a tampered policy with SignatureDoesNotMatch', async () => {
    const post = await photoPost();
    const name = uniqueName();
    const policy = JSON.parse(Buffer.from(post.fields.Policy ?? '', 'base64').toString('utf8')) as {
      conditions: unknown[];
    };
    // The browser raises its own size limit to 10 MB and keeps the original signature.
    policy.conditions = policy.conditions.map((c) =>
      Array.isArray(c) && c[0] === 'content-length-range' ? ['content-length-range', MiB, 10 * MiB] : c,
    );
    const tampered = Buffer.from(JSON.stringify(policy)).toString('base64');
    expect(tampered).not.toBe(post.fields.Policy);

    const { response, body } = await postForm(post, { bytes: jpeg(5 * MiB), name }, { Policy: tampered });

    expect(response.status).toBe(403);
    expect(body).toContain('<Code>SignatureDoesNotMatch</Code>');
    await expectNotStored(`${PHOTO_PREFIX}${name}`);
  });
});

describe('local S3 gateway: presigned GET', () => {
  const key = `nominations/n-1/stamped/${randomUUID()} 推荐表.pdf`;
  const bytes = Buffer.from(`%PDF-1.7\n${randomUUID()}\n%%EOF\n`);

  beforeAll(async () => {
    await client.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: bytes, ContentType: 'application/pdf' }),
    );
  });

  const presign = (options: { expiresIn: number; signingDate?: Date }) =>
    getSignedUrl(client, new GetObjectCommand({ Bucket: BUCKET, Key: key }), options);

  it('serves the object to a valid presigned URL, byte for byte', async () => {
    const response = await fetch(await presign({ expiresIn: 60 }));

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('refuses the URL when one character of its signature is changed', async () => {
    const url = new URL(await presign({ expiresIn: 60 }));
    const signature = url.searchParams.get('X-Amz-Signature') ?? '';
    const last = signature.at(-1) === '0' ? '1' : '0';
    url.searchParams.set('X-Amz-Signature', `${signature.slice(0, -1)}${last}`);

    const response = await fetch(url);

    expect(response.status).toBe(403);
    expect(await response.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
  });

  it('refuses an expired URL with AccessDenied "Request has expired"', async () => {
    // Signed two hours ago for one minute.
    const url = await presign({ expiresIn: 60, signingDate: new Date(Date.now() - 2 * 3_600_000) });

    const response = await fetch(url);

    expect(response.status).toBe(403);
    const body = await response.text();
    expect(body).toContain('<Code>AccessDenied</Code>');
    expect(body).toContain('<Message>Request has expired</Message>');
  });

  it('refuses the same object to a request without any signature: the bucket is private', async () => {
    const response = await fetch(`${s3.endpoint}/${BUCKET}/${encodeURI(key)}`);

    expect(response.status).toBe(403);
    expect(await response.text()).toContain('<Code>AccessDenied</Code>');
  });
});

describe('local S3 gateway: CORS', () => {
  it('answers a preflight for a browser POST with the allow headers', async () => {
    const response = await fetch(`${s3.endpoint}/${BUCKET}`, {
      method: 'OPTIONS',
      headers: {
        origin: ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });

    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('access-control-allow-headers')).toBe('content-type');
  });
});

describe('local S3 gateway: versions and checksums, as a versioned S3 bucket keeps them', () => {
  const bytesOf = async (object: { Body?: { transformToByteArray(): Promise<Uint8Array> } }) =>
    (await object.Body?.transformToByteArray()) ?? new Uint8Array();
  const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('base64');

  it('keeps every version of an overwritten key, each readable by its version id, the key giving the latest', async () => {
    const key = `${PHOTO_PREFIX}${uniqueName()}`;
    const first = jpeg(MiB + 1);
    const second = jpeg(MiB + 2);
    const put1 = await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: first }));
    const put2 = await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: second }));

    expect(put1.VersionId).toMatch(/^[\w-]{32}$/);
    expect(put2.VersionId).not.toBe(put1.VersionId);
    const latest = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(latest.VersionId).toBe(put2.VersionId);
    expect(Buffer.from(await bytesOf(latest)).equals(Buffer.from(second))).toBe(true);
    const old = await client.send(
      new GetObjectCommand({ Bucket: BUCKET, Key: key, VersionId: put1.VersionId }),
    );
    expect(old.VersionId).toBe(put1.VersionId);
    expect(Buffer.from(await bytesOf(old)).equals(Buffer.from(first))).toBe(true);
    const head = await client.send(
      new HeadObjectCommand({ Bucket: BUCKET, Key: key, VersionId: put1.VersionId }),
    );
    expect(head.ContentLength).toBe(first.byteLength);

    const url = await getSignedUrl(
      client,
      new GetObjectCommand({ Bucket: BUCKET, Key: key, VersionId: put1.VersionId }),
    );
    const served = await fetch(url);
    expect(served.headers.get('x-amz-version-id')).toBe(put1.VersionId);
    expect(Buffer.from(await served.arrayBuffer()).equals(Buffer.from(first))).toBe(true);
  });

  it('names the version a browser POST created, and a second POST with the same form makes another', async () => {
    const post = await photoPost();
    const name = uniqueName();
    const one = await postForm(post, { bytes: jpeg(MiB + 3), name });
    const two = await postForm(post, { bytes: jpeg(MiB + 4), name });

    const v1 = one.response.headers.get('x-amz-version-id');
    const v2 = two.response.headers.get('x-amz-version-id');
    expect(v1).toMatch(/^[\w-]{32}$/);
    expect(v2).not.toBe(v1);
    const old = await client.send(
      new GetObjectCommand({ Bucket: BUCKET, Key: `${PHOTO_PREFIX}${name}`, VersionId: v1 ?? '' }),
    );
    expect((await bytesOf(old)).byteLength).toBe(MiB + 3);
  });

  it('keeps a SHA-256 sent with the object and returns it when asked; refuses a wrong one as BadDigest', async () => {
    const key = `${PHOTO_PREFIX}${uniqueName()}`;
    const body = jpeg(MiB + 5);
    const put = await client.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, ChecksumSHA256: sha256(body) }),
    );
    expect(put.ChecksumSHA256).toBe(sha256(body));
    const read = await client.send(
      new GetObjectCommand({ Bucket: BUCKET, Key: key, ChecksumMode: 'ENABLED' }),
    );
    expect(read.ChecksumSHA256).toBe(sha256(body));
    expect(sha256(await bytesOf(read))).toBe(sha256(body));
    const plain = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(plain.ChecksumSHA256).toBeUndefined();

    const other = `${PHOTO_PREFIX}${uniqueName()}`;
    await expect(
      client.send(
        new PutObjectCommand({ Bucket: BUCKET, Key: other, Body: body, ChecksumSHA256: sha256(jpeg(10)) }),
      ),
    ).rejects.toMatchObject({ name: 'BadDigest' });
    await expectNotStored(other);
  });

  it('answers an unknown version id with 404 and hides the versions store from clients', async () => {
    const key = `${PHOTO_PREFIX}${uniqueName()}`;
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: jpeg(10) }));
    await expect(
      client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key, VersionId: 'x'.repeat(32) })),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
    await expect(
      client.send(new GetObjectCommand({ Bucket: `${BUCKET}--laurel-versions`, Key: key })),
    ).rejects.toMatchObject({ name: 'NoSuchBucket' });
  });
});

describe('local S3 gateway: listing and deleting versions, as a versioned S3 bucket does', () => {
  const listed = async (prefix: string, extra: { MaxKeys?: number } = {}) =>
    client.send(new ListObjectVersionsCommand({ Bucket: BUCKET, Prefix: prefix, ...extra }));

  it('lists every version under a prefix, newest first per key, the current one marked, page by page', async () => {
    const prefix = `nominations/${randomUUID()}/`;
    const a = `${prefix}photo/a.jpg`;
    const b = `${prefix}scan/b.pdf`;
    const a1 = await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: a, Body: jpeg(100) }));
    const a2 = await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: a, Body: jpeg(200) }));
    const b1 = await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: b, Body: jpeg(300) }));
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: `other/${randomUUID()}`, Body: jpeg(10) }));

    const all = await listed(prefix);
    expect(all.Versions?.map((v) => [v.Key, v.VersionId, v.IsLatest, v.Size])).toEqual([
      [a, a2.VersionId, true, 200],
      [a, a1.VersionId, false, 100],
      [b, b1.VersionId, true, 300],
    ]);
    expect(all.IsTruncated).toBe(false);

    const first = await listed(prefix, { MaxKeys: 2 });
    expect(first.IsTruncated).toBe(true);
    const rest = await client.send(
      new ListObjectVersionsCommand({
        Bucket: BUCKET,
        Prefix: prefix,
        KeyMarker: first.NextKeyMarker,
        VersionIdMarker: first.NextVersionIdMarker,
      }),
    );
    expect(rest.Versions?.map((v) => v.VersionId)).toEqual([b1.VersionId]);
  });

  it('deletes one version for good; deleting the current one makes the previous current; the last leaves nothing', async () => {
    const key = `nominations/${randomUUID()}/word/form.docx`;
    const v1 = await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: jpeg(111) }));
    const v2 = await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: jpeg(222) }));

    const gone = await client.send(
      new DeleteObjectCommand({ Bucket: BUCKET, Key: key, VersionId: v2.VersionId }),
    );
    expect(gone.VersionId).toBe(v2.VersionId);
    await expect(
      client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key, VersionId: v2.VersionId })),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
    const current = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    expect([current.VersionId, current.ContentLength]).toEqual([v1.VersionId, 111]);

    await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key, VersionId: v1.VersionId }));
    await expectNotStored(key);
    expect((await listed(key)).Versions ?? []).toEqual([]);
  });

  it('refuses to list or delete versions to a key without s3:ListBucketVersions or s3:DeleteObjectVersion', async () => {
    const strictDir = await mkdtemp(join(tmpdir(), 'laurel-s3-iam-'));
    const denied: string[] = [];
    const strict = await startS3({
      dataDir: strictDir,
      port: 0,
      buckets: [BUCKET],
      credentials: CREDENTIALS,
      authorize: (_id, action, resource) => {
        if (action === 's3:ListBucketVersions' || action === 's3:DeleteObjectVersion') {
          denied.push(`${action} ${resource}`);
          throw new S3Error('AccessDenied', 'Access Denied');
        }
      },
    });
    const strictClient = clientFor(strict.endpoint);
    try {
      const key = `nominations/${randomUUID()}/photo/x.jpg`;
      const put = await strictClient.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: jpeg(10) }));
      await expect(
        strictClient.send(new ListObjectVersionsCommand({ Bucket: BUCKET, Prefix: 'nominations/' })),
      ).rejects.toMatchObject({ name: 'AccessDenied' });
      await expect(
        strictClient.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key, VersionId: put.VersionId })),
      ).rejects.toMatchObject({ name: 'AccessDenied' });
      expect(denied).toEqual([
        `s3:ListBucketVersions arn:aws-cn:s3:::${BUCKET}`,
        `s3:DeleteObjectVersion arn:aws-cn:s3:::${BUCKET}/${key}`,
      ]);
      const still = await strictClient.send(
        new GetObjectCommand({ Bucket: BUCKET, Key: key, VersionId: put.VersionId }),
      );
      expect(still.VersionId).toBe(put.VersionId);
    } finally {
      strictClient.destroy();
      await strict.stop();
      await rm(strictDir, { recursive: true, force: true });
    }
  });
});

describe('local S3 gateway: multipart uploads, as S3 refuses and versions them', () => {
  const upload = async (key: string) =>
    (
      await client.send(
        new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key, ContentType: 'application/zip' }),
      )
    ).UploadId ?? '';
  const part = async (key: string, uploadId: string, number: number, bytes: Uint8Array) => ({
    PartNumber: number,
    ETag: (
      await client.send(
        new UploadPartCommand({
          Bucket: BUCKET,
          Key: key,
          UploadId: uploadId,
          PartNumber: number,
          Body: bytes,
        }),
      )
    ).ETag,
  });

  it('completes the parts in order as a new version of the key, byte for byte', async () => {
    const key = `packages/c/${randomUUID()}.zip`;
    const id = await upload(key);
    const first = jpeg(5 * MiB);
    const last = jpeg(MiB + 7);
    const parts = [await part(key, id, 1, first), await part(key, id, 2, last)];
    const done = await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: BUCKET,
        Key: key,
        UploadId: id,
        MultipartUpload: { Parts: parts },
      }),
    );
    expect(done.VersionId).toMatch(/^[\w-]{32}$/);
    expect(done.ETag).toMatch(/^"[0-9a-f]{32}-2"$/);
    const read = await client.send(
      new GetObjectCommand({ Bucket: BUCKET, Key: key, VersionId: done.VersionId }),
    );
    expect(read.ContentType).toBe('application/zip');
    const bytes = Buffer.from((await read.Body?.transformToByteArray()) ?? []);
    expect(bytes.equals(Buffer.concat([first, last]))).toBe(true);
  });

  it('refuses a part under 5 MiB that is not the last as EntityTooSmall, and stores nothing', async () => {
    const key = `packages/c/${randomUUID()}.zip`;
    const id = await upload(key);
    const parts = [await part(key, id, 1, jpeg(MiB)), await part(key, id, 2, jpeg(MiB))];
    await expect(
      client.send(
        new CompleteMultipartUploadCommand({
          Bucket: BUCKET,
          Key: key,
          UploadId: id,
          MultipartUpload: { Parts: parts },
        }),
      ),
    ).rejects.toMatchObject({ name: 'EntityTooSmall' });
    await expect(client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('refuses a wrong ETag as InvalidPart, parts out of order as InvalidPartOrder, and an aborted upload as NoSuchUpload', async () => {
    const key = `packages/c/${randomUUID()}.zip`;
    const id = await upload(key);
    const one = await part(key, id, 1, jpeg(5 * MiB));
    const two = await part(key, id, 2, jpeg(MiB));
    const complete = (parts: { PartNumber: number; ETag?: string }[]) =>
      client.send(
        new CompleteMultipartUploadCommand({
          Bucket: BUCKET,
          Key: key,
          UploadId: id,
          MultipartUpload: { Parts: parts },
        }),
      );
    await expect(
      complete([one, { ...two, ETag: '"0123456789abcdef0123456789abcdef"' }]),
    ).rejects.toMatchObject({
      name: 'InvalidPart',
    });
    await expect(complete([two, one])).rejects.toMatchObject({ name: 'InvalidPartOrder' });
    await client.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId: id }));
    await expect(complete([one, two])).rejects.toMatchObject({ name: 'NoSuchUpload' });
  });
});

describe('local S3 gateway: restart', () => {
  it('keeps its objects across stop and start with the same data folder, and closes its ports on stop', async () => {
    const key = `nominations/n-1/photos/${uniqueName()}`;
    const bytes = jpeg(MiB + 17);
    await client.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: bytes, ContentType: 'image/jpeg' }),
    );
    const oldEndpoint = s3.endpoint;

    client.destroy();
    await s3.stop();
    expect(listeningServers()).toBe(listeningBefore);
    await expect(fetch(`${oldEndpoint}/${BUCKET}`)).rejects.toThrow();

    s3 = await startS3({ dataDir, port: 0, buckets: [BUCKET], credentials: CREDENTIALS });
    client = clientFor(s3.endpoint);
    const stored = await readObject(key);

    expect(stored.contentType).toBe('image/jpeg');
    expect(Buffer.from(stored.bytes ?? []).equals(Buffer.from(bytes))).toBe(true);
  });
});
