import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Nomination } from '../../functions/rules/nomination.js';
import { encodeCursor } from '../../functions/rules/paging.js';
import { type LocalCloud, startLocalCloud } from '../../infra/local/cloud.js';
import { volunteer } from '../fixtures/forms.js';
import { INVISIBLE_CLASSES } from '../fixtures/invisible-characters.js';
import { realJpeg, realPng } from '../fixtures/real-files.js';
import type { ApiClient } from '../support/api-client.js';
import { storedDataDigest } from '../support/fingerprint.js';
import { baseOf, secretariatOf, signedIn, signInLinkMailedTo } from '../support/people.js';

/**
 * The bad-input catalogue: strange requests through the HTTP API, each with its documented status
 * and error code, and — read back from the store — nothing written.
 */

const dataDir = mkdtempSync(join(tmpdir(), 'laurel-bad-'));
let cloud: LocalCloud;
let documents: DynamoDBDocumentClient;
let sec: ApiClient;
let unit: ApiClient;
let other: ApiClient;
let draft: Nomination;
const base = () => baseOf(cloud);

const tableDigest = () => storedDataDigest(documents);

async function invited(email: string, body: Record<string, unknown>): Promise<ApiClient> {
  await sec.call('POST', '/api/invitations', { ...body, email });
  return signedIn(cloud, await signInLinkMailedTo(cloud, email));
}

beforeAll(async () => {
  cloud = await startLocalCloud({ dataDir, port: 0 });
  documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: 'cn-north-1',
      endpoint: cloud.urls.dynamodb,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  sec = await secretariatOf(cloud, 'cast-2024');
  unit = await invited('u@bad.cn', {
    role: 'unit',
    subjectId: 'bad-unit',
    name: '测试学会',
    unitType: 'national-society',
  });
  other = await invited('o@bad.cn', {
    role: 'unit',
    subjectId: 'other-unit',
    name: '另一学会',
    unitType: 'national-society',
  });
  draft = (await unit.call<{ nomination: Nomination }>('POST', '/api/nominations', { category: 'volunteer' }))
    .body.nomination;
  await unit.call('PUT', `/api/nominations/${draft.id}/form`, {
    version: 1,
    form: volunteer(),
    noClassifiedContent: true,
  });
}, 60_000);

afterAll(async () => {
  documents?.destroy();
  await cloud?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

type Who = 'unit' | 'other' | 'sec' | 'nobody';
interface Case {
  name: string;
  who: Who;
  method: string;
  path: string | (() => string);
  body?: unknown;
  raw?: { body: string; contentType: string };
  headers?: Record<string, string>;
  status: number;
  code?: string;
}

const id = () => draft.id;

const CASES: Case[] = [
  { name: 'an unknown API path', who: 'unit', method: 'GET', path: '/api/admin', status: 404 },
  {
    name: 'a path-traversal id',
    who: 'unit',
    method: 'GET',
    path: '/api/nominations/..%2F..%2Fetc%2Fpasswd',
    status: 404,
    code: 'NOT_FOUND',
  },
  {
    name: 'malformed JSON',
    who: 'unit',
    method: 'POST',
    path: '/api/nominations',
    raw: { body: '{"category":', contentType: 'application/json' },
    status: 400,
    code: 'MALFORMED_JSON',
  },
  {
    name: 'a form-encoded body',
    who: 'unit',
    method: 'POST',
    path: '/api/nominations',
    raw: { body: 'category=volunteer', contentType: 'application/x-www-form-urlencoded' },
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'a JSON array for an object',
    who: 'unit',
    method: 'POST',
    path: '/api/nominations',
    body: ['volunteer'],
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'a number for the category',
    who: 'unit',
    method: 'POST',
    path: '/api/nominations',
    body: { category: 5 },
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'an unknown category',
    who: 'unit',
    method: 'POST',
    path: '/api/nominations',
    body: { category: 'team' },
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'an unknown field',
    who: 'unit',
    method: 'POST',
    path: '/api/nominations',
    body: { category: 'site', admin: true },
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'a body over 10 MB',
    who: 'unit',
    method: 'POST',
    path: '/api/nominations',
    raw: { body: `{"x":"${'a'.repeat(10 * 1024 * 1024)}"}`, contentType: 'application/json' },
    status: 413,
  },
  {
    name: 'a stale version',
    who: 'unit',
    method: 'PUT',
    path: () => `/api/nominations/${id()}/form`,
    body: { version: 1, form: volunteer() },
    status: 409,
    code: 'VERSION_CONFLICT',
  },
  {
    name: 'a version that is not a number',
    who: 'unit',
    method: 'PUT',
    path: () => `/api/nominations/${id()}/form`,
    body: { version: 'two', form: {} },
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'another unit reading',
    who: 'other',
    method: 'GET',
    path: () => `/api/nominations/${id()}`,
    status: 403,
    code: 'FORBIDDEN',
  },
  {
    name: 'another unit editing',
    who: 'other',
    method: 'PUT',
    path: () => `/api/nominations/${id()}/form`,
    body: { version: 2, form: {} },
    status: 403,
    code: 'FORBIDDEN',
  },
  {
    name: 'another unit submitting',
    who: 'other',
    method: 'POST',
    path: () => `/api/nominations/${id()}/submit`,
    body: { version: 2 },
    status: 403,
    code: 'FORBIDDEN',
  },
  {
    name: 'another unit asking for an upload',
    who: 'other',
    method: 'POST',
    path: () => `/api/nominations/${id()}/uploads`,
    body: { kind: 'photo', contentType: 'image/jpeg', fileName: 'a.jpg' },
    status: 403,
    code: 'FORBIDDEN',
  },
  {
    name: 'no session',
    who: 'nobody',
    method: 'GET',
    path: '/api/nominations',
    status: 401,
    code: 'NOT_SIGNED_IN',
  },
  {
    name: 'a tampered session cookie',
    who: 'nobody',
    method: 'GET',
    path: '/api/nominations',
    headers: { cookie: 'laurel_session=forged-value-0000000000000000' },
    status: 401,
    code: 'NOT_SIGNED_IN',
  },
  {
    name: 'an unknown sign-in token',
    who: 'nobody',
    method: 'POST',
    path: '/api/sessions',
    body: { token: 'x'.repeat(43) },
    status: 403,
    code: 'LINK_UNKNOWN',
  },
  {
    name: 'a sign-in token too short',
    who: 'nobody',
    method: 'POST',
    path: '/api/sessions',
    body: { token: 'abc' },
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'a missing nomination',
    who: 'unit',
    method: 'GET',
    path: '/api/nominations/n-0000000000000000000000',
    status: 404,
    code: 'NOT_FOUND',
  },
  {
    name: 'submitting without attachments',
    who: 'unit',
    method: 'POST',
    path: () => `/api/nominations/${id()}/submit`,
    body: { version: 2 },
    status: 422,
    code: 'ATTACHMENTS_INCOMPLETE',
  },
  {
    name: 'a unit screening',
    who: 'unit',
    method: 'POST',
    path: () => `/api/nominations/${id()}/screening`,
    body: { version: 2, decision: 'pass' },
    status: 403,
    code: 'FORBIDDEN',
  },
  {
    name: 'a screening decision not in the list',
    who: 'sec',
    method: 'POST',
    path: () => `/api/nominations/${id()}/screening`,
    body: { version: 2, decision: 'approve' },
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'screening a draft',
    who: 'sec',
    method: 'POST',
    path: () => `/api/nominations/${id()}/screening`,
    body: { version: 2, decision: 'pass' },
    status: 409,
    code: 'WRONG_STATUS',
  },
  {
    name: 'a unit inviting',
    who: 'unit',
    method: 'POST',
    path: '/api/invitations',
    body: { role: 'expert', subjectId: 'e9', name: 'E', email: 'e9@x.cn' },
    status: 403,
    code: 'FORBIDDEN',
  },
  {
    name: 'an invitation with a bad e-mail',
    who: 'sec',
    method: 'POST',
    path: '/api/invitations',
    body: { role: 'expert', subjectId: 'e9', name: 'E', email: 'not-mail' },
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'an invitation id with a path',
    who: 'sec',
    method: 'POST',
    path: '/api/invitations',
    body: { role: 'expert', subjectId: '../admin', name: 'E', email: 'e9@x.cn' },
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'an upload kind that does not exist',
    who: 'unit',
    method: 'POST',
    path: () => `/api/nominations/${id()}/uploads`,
    body: { kind: 'video', contentType: 'image/jpeg', fileName: 'a.jpg' },
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'a PDF type for a photo',
    who: 'unit',
    method: 'POST',
    path: () => `/api/nominations/${id()}/uploads`,
    body: { kind: 'photo', contentType: 'application/pdf', fileName: 'a.pdf' },
    status: 422,
    code: 'ATTACHMENT_TYPE_MISMATCH',
  },
  {
    name: 'an executable type',
    who: 'unit',
    method: 'POST',
    path: () => `/api/nominations/${id()}/uploads`,
    body: { kind: 'scan', contentType: 'application/x-msdownload', fileName: 'a.exe' },
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'control characters in a file name',
    who: 'unit',
    method: 'POST',
    path: () => `/api/nominations/${id()}/uploads`,
    body: { kind: 'photo', contentType: 'image/jpeg', fileName: 'a\u0000b.jpg' },
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'recording a file never uploaded',
    who: 'unit',
    method: 'POST',
    path: () => `/api/nominations/${id()}/attachments`,
    body: { attachmentId: 'a-000000000000', kind: 'photo', fileName: 'a.jpg', version: 2 },
    status: 404,
    code: 'UPLOAD_NOT_FOUND',
  },
  {
    name: 'removing an attachment without a version',
    who: 'unit',
    method: 'DELETE',
    path: () => `/api/nominations/${id()}/attachments/a-1`,
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'a review without a link',
    who: 'nobody',
    method: 'GET',
    path: '/api/review',
    status: 403,
    code: 'LINK_UNKNOWN',
  },
  {
    name: 'a review with a forged link',
    who: 'nobody',
    method: 'POST',
    path: '/api/review',
    headers: { 'x-laurel-review-link': 'forged' },
    body: { scores: {}, recommend: true, confirmed: true },
    status: 403,
    code: 'LINK_UNKNOWN',
  },
  {
    name: 'an objection outside publicity',
    who: 'nobody',
    method: 'POST',
    path: '/api/public/cast-2024/objections',
    body: { nominationId: 'n-x', reason: '材料与事实不符，请核实。', name: '张', contact: 'z@x.cn' },
    status: 409,
    code: 'PUBLICITY_CLOSED',
  },
  {
    name: 'an objection with a two-character reason',
    who: 'nobody',
    method: 'POST',
    path: '/api/public/cast-2024/objections',
    body: { nominationId: 'n-x', reason: '不好', name: '张', contact: 'z@x.cn' },
    status: 400,
    code: 'VALIDATION_FAILED',
  },

  {
    name: 'a honouree list with a bad year',
    who: 'sec',
    method: 'POST',
    path: '/api/campaigns/cast-2024/honourees',
    body: { csv: 'name,organization,year,category\n张三,某单位,2030,volunteer\n' },
    status: 400,
    code: 'HONOUREE_IMPORT_INVALID',
  },
  {
    name: 'a deadline extension without a reason',
    who: 'sec',
    method: 'POST',
    path: '/api/campaigns/cast-2024/extensions',
    body: { unitId: 'bad-unit', until: '2025-03-01T00:00:00+08:00', reason: '' },
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'a deadline extension without an offset',
    who: 'sec',
    method: 'POST',
    path: '/api/campaigns/cast-2024/extensions',
    body: { unitId: 'bad-unit', until: '2025-03-01T00:00:00', reason: '延期' },
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'a page of more than 100',
    who: 'sec',
    method: 'GET',
    path: '/api/campaigns/cast-2024/nominations?limit=101',
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'a garbage cursor',
    who: 'sec',
    method: 'GET',
    path: '/api/campaigns/cast-2024/nominations?cursor=not*a*cursor',
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'a cursor of another list',
    who: 'sec',
    method: 'GET',
    path: `/api/campaigns/cast-2024/nominations?status=submitted&cursor=${encodeCursor({ list: 'nominations#cast-2024#####', part: 0 })}`,
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'a forged cursor naming another campaign’s partition',
    who: 'sec',
    method: 'GET',
    path: `/api/campaigns/cast-2024/nominations?cursor=${encodeCursor({
      list: 'nominations#cast-2024####',
      part: 0,
      key: { pk: 'nomination#n-x', sk: 'item', gsi1pk: 'campaign#cacs-2024#status#submitted', gsi1sk: 'v' },
    })}`,
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'a garbage ranking cursor',
    who: 'sec',
    method: 'GET',
    path: '/api/campaigns/cast-2024/ranking?cursor=eyJ4Ijox',
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'another campaign’s console',
    who: 'sec',
    method: 'GET',
    path: '/api/campaigns/cacs-2024/nominations',
    status: 403,
    code: 'FORBIDDEN',
  },
  {
    name: 'a selection before reviews',
    who: 'unit',
    method: 'POST',
    path: '/api/campaigns/cast-2024/selection',
    body: {},
    status: 403,
    code: 'FORBIDDEN',
  },
  {
    name: 'release before publicity',
    who: 'sec',
    method: 'POST',
    path: '/api/campaigns/cast-2024/release',
    status: 409,
    code: 'PUBLICITY_NOT_OPENED',
  },
];

/** Each class of invisible or direction-changing character, in each kind of free text a person types. */
const INVISIBLE_CASES: Case[] = INVISIBLE_CLASSES.flatMap(({ label, insert }): Case[] => [
  {
    name: `a ${label} in a nominee's name`,
    who: 'unit' as const,
    method: 'PUT',
    path: () => `/api/nominations/${id()}/form`,
    body: { version: 2, form: volunteer({ name: `李${insert}梅` }) },
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: `a ${label} in an invited unit's name`,
    who: 'sec' as const,
    method: 'POST',
    path: '/api/invitations',
    body: {
      role: 'unit',
      subjectId: 'u-inv',
      name: `学${insert}会`,
      email: 'inv@x.cn',
      unitType: 'national-society',
    },
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  // A reason may run over lines: a line break is text there, every other class is refused.
  ...(insert === '\n'
    ? []
    : ([
        {
          name: `a ${label} in an extension's reason`,
          who: 'sec',
          method: 'POST',
          path: '/api/campaigns/cast-2024/extensions',
          body: { unitId: 'bad-unit', until: '2025-03-01T00:00:00+08:00', reason: `材料${insert}延误` },
          status: 400,
          code: 'VALIDATION_FAILED',
        },
      ] satisfies Case[])),
]);

/** The inputs that once answered 500: now each is a 4xx in the envelope. */
const ONCE_500: Case[] = [
  {
    name: 'a form field named constructor',
    who: 'unit',
    method: 'PUT',
    path: () => `/api/nominations/${id()}/form`,
    body: { version: 2, form: { constructor: 1 } },
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'deeds of 150,000 characters',
    who: 'unit',
    method: 'PUT',
    path: () => `/api/nominations/${id()}/form`,
    body: { version: 2, form: volunteer({ mainDeeds: '事'.repeat(150_000) }) },
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'a 5,000-character nomination id',
    who: 'unit',
    method: 'GET',
    path: `/api/nominations/${'n'.repeat(5000)}`,
    status: 404,
    code: 'NOT_FOUND',
  },
  {
    name: 'a 5,000-character execution name',
    who: 'sec',
    method: 'GET',
    path: `/api/ops/executions/${'x'.repeat(5000)}/history`,
    status: 404,
    code: 'NOT_FOUND',
  },
  {
    name: 'a garbage page cursor',
    who: 'sec',
    method: 'GET',
    path: '/api/ops/executions?nextToken=garbage',
    status: 400,
    code: 'INVALID_CURSOR',
  },
  {
    name: 'a field named __proto__',
    who: 'unit',
    method: 'POST',
    path: '/api/nominations',
    raw: { body: '{"category":"volunteer","__proto__":{"admin":true}}', contentType: 'application/json' },
    status: 400,
    code: 'FORBIDDEN_FIELD_NAME',
  },
  {
    name: 'a body over 2 MB',
    who: 'unit',
    method: 'PUT',
    path: () => `/api/nominations/${id()}/form`,
    raw: {
      body: JSON.stringify({ version: 2, form: { mainDeeds: 'x'.repeat(3 * 1024 * 1024) } }),
      contentType: 'application/json',
    },
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
  },
  {
    name: 'a wrong method',
    who: 'unit',
    method: 'PATCH',
    path: '/api/nominations',
    status: 405,
    code: 'METHOD_NOT_ALLOWED',
  },
];

CASES.push(...INVISIBLE_CASES, ...ONCE_500);

describe('the bad-input catalogue', () => {
  it('has more than a hundred cases', () => {
    expect(CASES.length).toBeGreaterThan(100);
  });

  it.each(CASES)('answers $name with $status $code and writes nothing', async (c) => {
    const before = await tableDigest();
    const client = c.who === 'unit' ? unit : c.who === 'other' ? other : c.who === 'sec' ? sec : undefined;
    const path = typeof c.path === 'function' ? c.path() : c.path;
    const headers: Record<string, string> = { ...(c.headers ?? {}) };
    if (client?.sessionCookie) headers.cookie = client.sessionCookie;
    let body: string | undefined;
    if (c.raw) {
      body = c.raw.body;
      headers['content-type'] = c.raw.contentType;
    } else if (c.body !== undefined) {
      body = JSON.stringify(c.body);
      headers['content-type'] = 'application/json';
    }
    const response = await fetch(`${base()}${path}`, {
      method: c.method,
      headers,
      ...(body === undefined ? {} : { body }),
    });
    const text = await response.text();
    expect(response.status, text.slice(0, 300)).toBe(c.status);
    if (c.code) {
      const answer = JSON.parse(text) as { error: { code: string; message: { zh: string; en: string } } };
      expect(answer.error.code).toBe(c.code);
      expect(answer.error.message.zh.length).toBeGreaterThan(0);
      expect(answer.error.message.en.length).toBeGreaterThan(0);
    }
    expect(await tableDigest()).toBe(before);
  });
});

describe('files at and around the limits, through the presigned POST', () => {
  const post = async (bytes: Uint8Array, contentType: string) => {
    const { body } = await unit.call<{ url: string; fields: Record<string, string> }>(
      'POST',
      `/api/nominations/${draft.id}/uploads`,
      {
        kind: 'photo',
        contentType,
        fileName: '../../etc/照片.jpg',
      },
    );
    const form = new FormData();
    for (const [k, v] of Object.entries(body.fields)) form.append(k, v);
    form.append('file', new Blob([bytes], { type: contentType }));
    const answer = await fetch(body.url, { method: 'POST', body: form });
    return { status: answer.status, text: await answer.text(), key: body.fields.key ?? '' };
  };
  const padded = (size: number, image = realJpeg(400, 300)) => {
    const bytes = new Uint8Array(size);
    bytes.set(image);
    return bytes;
  };

  it('refuses 999,999 bytes, accepts 1,000,000 and 3,145,728, refuses 3,145,729', async () => {
    expect(await post(padded(999_999), 'image/jpeg')).toMatchObject({
      status: 400,
      text: expect.stringContaining('EntityTooSmall'),
    });
    expect((await post(padded(1_000_000), 'image/jpeg')).status).toBe(204);
    expect((await post(padded(3_145_728), 'image/jpeg')).status).toBe(204);
    expect(await post(padded(3_145_729), 'image/jpeg')).toMatchObject({
      status: 400,
      text: expect.stringContaining('EntityTooLarge'),
    });
  });

  it('keeps a path-traversal file name out of the key', async () => {
    const { key } = await post(padded(1_100_000), 'image/jpeg');
    expect(key).toMatch(new RegExp(`^nominations/${draft.id}/photo/a-[0-9a-f]+\\.jpg$`));
  });

  it('refuses a PNG sent as a JPEG photo when it is recorded, and stores nothing', async () => {
    const { body } = await unit.call<{ url: string; fields: Record<string, string>; attachmentId: string }>(
      'POST',
      `/api/nominations/${draft.id}/uploads`,
      { kind: 'scan', contentType: 'application/pdf', fileName: '扫描件.pdf' },
    );
    const form = new FormData();
    for (const [k, v] of Object.entries(body.fields)) form.append(k, v);
    form.append('file', new Blob([padded(200_000, realPng(400, 300))], { type: 'application/pdf' }));
    expect((await fetch(body.url, { method: 'POST', body: form })).status).toBe(204);
    const before = await tableDigest();
    const current = (await unit.call<{ nomination: Nomination }>('GET', `/api/nominations/${draft.id}`)).body
      .nomination;
    const recorded = await unit.call<{ error: { code: string } }>(
      'POST',
      `/api/nominations/${draft.id}/attachments`,
      {
        attachmentId: body.attachmentId,
        kind: 'scan',
        fileName: '扫描件.pdf',
        version: current.version,
      },
    );
    expect(recorded.status).toBe(422);
    expect(recorded.body.error.code).toBe('ATTACHMENT_TYPE_MISMATCH');
    expect(await tableDigest()).toBe(before);
  });

  it('keeps script and formula payloads as plain text', async () => {
    const current = (await unit.call<{ nomination: Nomination }>('GET', `/api/nominations/${draft.id}`)).body
      .nomination;
    const payload = '<script>alert(1)</script>=HYPERLINK("http://x","y")';
    const saved = await unit.call<{ nomination: Nomination }>('PUT', `/api/nominations/${draft.id}/form`, {
      version: current.version,
      form: volunteer({ volunteerOrganization: payload }),
    });
    expect(saved.status).toBe(200);
    expect((saved.body.nomination.form as { volunteerOrganization: string }).volunteerOrganization).toBe(
      payload,
    );
    expect(saved.body.nomination.form).not.toHaveProperty('__proto__.polluted');
  });
});
