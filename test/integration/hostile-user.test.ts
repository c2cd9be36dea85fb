import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Of } from '../../functions/documents/checksum.js';
import { renderFormDocx } from '../../functions/documents/form-docx.js';
import { allowedMethods, tablePaths } from '../../functions/lib/api.js';
import { FRESH_LINK_RATE_LIMIT, OBJECTION_RATE_LIMIT } from '../../functions/routes.js';
import { builtinCampaign } from '../../functions/rules/campaigns/index.js';
import type { Nomination } from '../../functions/rules/nomination.js';
import { FRESH_LINK_ANSWER, FRESH_LINKS_PER_PERSON } from '../../functions/use-cases/sign-in.js';
import { type LocalCloud, startLocalCloud } from '../../infra/local/cloud.js';
import { docxWith, pdfWith } from '../fixtures/active-content.js';
import { volunteer } from '../fixtures/forms.js';
import { INVISIBLE_CLASSES } from '../fixtures/invisible-characters.js';
import { realJpeg, realPdf } from '../fixtures/real-files.js';
import type { ApiClient } from '../support/api-client.js';
import { CONSENT, DECLARED } from '../support/consent.js';
import { storedDataDigest } from '../support/fingerprint.js';
import {
  awaiting,
  baseOf,
  invite,
  inviteAndSignIn,
  mails,
  opsLink,
  secretariatLink,
  secretariatOf,
  signedIn,
  signInLinkMailedTo,
} from '../support/people.js';
import { executionArn, LocalCloudSeeder } from '../support/seed.js';

/**
 * A hostile user, black-box through the HTTP API, the presigned uploads and the served files,
 * against the whole local cloud. Each case asserts the refusal and that what is stored and what
 * is served read back unchanged.
 */

const dataDir = mkdtempSync(join(tmpdir(), 'laurel-hostile-'));
let cloud: LocalCloud;

beforeAll(async () => {
  cloud = await startLocalCloud({ dataDir, port: 0 });
}, 60_000);

afterAll(async () => {
  await cloud?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

interface Policy {
  url: string;
  fields: Record<string, string>;
  attachmentId: string;
}

/** Posts a file to the bucket with a presigned form, as a browser does (S3's status). */
async function postToBucket(policy: Policy, bytes: Uint8Array, contentType: string, name: string) {
  const form = new FormData();
  for (const [field, value] of Object.entries(policy.fields)) form.append(field, value);
  form.append('file', new Blob([bytes], { type: contentType }), name);
  return (await fetch(policy.url, { method: 'POST', body: form })).status;
}

/** Asks for an upload form, posts the file and records it; the form is kept for a later attack. */
async function uploadAndRecord(
  unit: ApiClient,
  id: string,
  file: { kind: string; contentType: string; fileName: string; bytes: Uint8Array },
  version: number,
) {
  const asked = await unit.call<Policy>('POST', `/api/nominations/${id}/uploads`, {
    kind: file.kind,
    contentType: file.contentType,
    fileName: file.fileName,
  });
  expect(asked.status, JSON.stringify(asked.body)).toBe(201);
  expect(await postToBucket(asked.body, file.bytes, file.contentType, file.fileName)).toBe(204);
  const recorded = await unit.call<{ version: number }>('POST', `/api/nominations/${id}/attachments`, {
    attachmentId: asked.body.attachmentId,
    kind: file.kind,
    fileName: file.fileName,
    version,
  });
  return { policy: asked.body, recorded };
}

const photo = (size: number) => {
  const bytes = new Uint8Array(size);
  bytes.set(realJpeg(800, 600)); // a real JPEG, padded after its end marker
  return bytes;
};

/**
 * What a person is served for each attachment: the SHA-256 of the bytes behind the nomination's
 * download links (hashes, not megabytes, are compared: a deep compare of buffers this size
 * holds the event loop for seconds).
 */
async function servedFiles(client: ApiClient, id: string): Promise<Record<string, string>> {
  const { body } = await client.call<{ downloads: Record<string, string> }>('GET', `/api/nominations/${id}`);
  const entries = await Promise.all(
    Object.entries(body.downloads).map(async ([attachmentId, url]) => {
      const answer = await fetch(url);
      expect(answer.status).toBe(200);
      // Served as a download, never inline.
      expect(answer.headers.get('content-disposition')).toMatch(/^attachment;/);
      return [attachmentId, sha256Of(new Uint8Array(await answer.arrayBuffer()))] as const;
    }),
  );
  return Object.fromEntries(entries);
}

const auditActions = async (client: ApiClient, id: string) =>
  (
    await client.call<{ events: { action: string }[] }>('GET', `/api/nominations/${id}/audit`)
  ).body.events.map((e) => e.action);

/** The overwrite events of one attachment, by the time S3 stamped each overwrite. */
async function overwritesOf(client: ApiClient, id: string, attachmentId: string): Promise<string[]> {
  const { body } = await client.call<{
    events: { action: string; at: string; actor: { subjectId: string } }[];
  }>('GET', `/api/nominations/${id}/audit`);
  return body.events
    .filter(
      (e) =>
        e.action === 'attachment:overwrite-ignored' &&
        e.actor.subjectId.startsWith(`attachment:${attachmentId}:version:`),
    )
    .map((e) => e.at);
}

describe('hostile user: an upload form posted again after the file was recorded', () => {
  it('never serves the overwrite — after recording, after submission, after screening — and records each one', async () => {
    const sec = await secretariatOf(cloud, 'cast-2024');
    const unit = await inviteAndSignIn(cloud, sec, {
      role: 'unit',
      subjectId: 'society-swap',
      name: '换件学会',
      email: 'society-swap@units.example.cn',
      unitType: 'national-society',
    });
    const created = await unit.call<{ nomination: Nomination }>('POST', '/api/nominations', {
      category: 'volunteer',
    });
    const id = created.body.nomination.id;
    const saved = await unit.call<{ nomination: Nomination }>('PUT', `/api/nominations/${id}/form`, {
      version: 1,
      form: volunteer(),
      noClassifiedContent: true,
    });
    expect(saved.status).toBe(200);

    const word = await renderFormDocx({
      campaign: builtinCampaign('cast-2024'),
      category: 'volunteer',
      form: volunteer(),
      unitName: '换件学会',
    });
    const scan = await realPdf();
    const photos = [photo(1_200_000), photo(1_300_000)];
    const files = [
      { kind: 'word', contentType: DOCX, fileName: '推荐表.docx', bytes: word },
      { kind: 'scan', contentType: 'application/pdf', fileName: '盖章扫描件.pdf', bytes: scan },
      { kind: 'photo', contentType: 'image/jpeg', fileName: '照片1.jpg', bytes: photos[0] ?? photo(0) },
      { kind: 'photo', contentType: 'image/jpeg', fileName: '照片2.jpg', bytes: photos[1] ?? photo(0) },
    ];
    let version = saved.body.nomination.version;
    const policies: Record<string, Policy> = {};
    for (const file of files) {
      const { policy, recorded } = await uploadAndRecord(unit, id, file, version);
      expect(recorded.status, JSON.stringify(recorded.body)).toBe(200);
      version = recorded.body.version;
      policies[file.fileName] = policy;
    }
    const scanPolicy = policies['盖章扫描件.pdf'] as Policy;
    const photoPolicy = policies['照片1.jpg'] as Policy;
    const original = await servedFiles(unit, id);
    expect(original[scanPolicy.attachmentId]).toBe(sha256Of(scan));
    expect(original[photoPolicy.attachmentId]).toBe(sha256Of(photos[0] ?? new Uint8Array()));
    const recordedState = (await unit.call<{ nomination: Nomination }>('GET', `/api/nominations/${id}`)).body
      .nomination;

    // 1. After recording: a ZIP posted over the inspected PDF with the same (still valid) form.
    const zip = new Uint8Array(1_100_000);
    zip.set([0x50, 0x4b, 0x03, 0x04]);
    expect(await postToBucket(scanPolicy, zip, 'application/pdf', 'x.pdf')).toBe(204); // S3 takes it
    expect(await servedFiles(unit, id)).toEqual(original);
    expect(await auditActions(unit, id)).toContain('attachment:overwrite-ignored');
    expect(await overwritesOf(unit, id, scanPolicy.attachmentId)).toHaveLength(1);
    const afterRecording = (await unit.call<{ nomination: Nomination }>('GET', `/api/nominations/${id}`)).body
      .nomination;
    expect(afterRecording.attachments).toEqual(recordedState.attachments);
    expect(afterRecording.version).toBe(recordedState.version);

    // 2. After submission: the photo's form posted again with other bytes.
    const submittedAnswer = await unit.call('POST', `/api/nominations/${id}/submit`, {
      version,
      consent: CONSENT,
      declarations: DECLARED,
    });
    expect(submittedAnswer.status, JSON.stringify(submittedAnswer.body)).toBe(200);
    const waiting = await awaiting(sec, id, 'screening');
    expect(await postToBucket(photoPolicy, photo(1_500_000).fill(0x41, 700_000), 'image/jpeg', 'y.jpg')).toBe(
      204,
    );
    expect(await servedFiles(sec, id)).toEqual(original);
    expect(await overwritesOf(sec, id, photoPolicy.attachmentId)).toHaveLength(1);

    // 3. After screening passed: both forms posted again.
    const passed = await sec.call<{ nomination: Nomination }>('POST', `/api/nominations/${id}/screening`, {
      version: waiting.version,
      decision: 'pass',
    });
    expect(passed.status, JSON.stringify(passed.body)).toBe(200);
    expect(await postToBucket(scanPolicy, zip.fill(0x42, 10), 'application/pdf', 'z.pdf')).toBe(204);
    expect(await postToBucket(photoPolicy, photo(2_500_000), 'image/jpeg', 'z.jpg')).toBe(204);
    expect(await servedFiles(sec, id)).toEqual(original);
    expect(await servedFiles(unit, id)).toEqual(original);

    const stored = (await sec.call<{ nomination: Nomination }>('GET', `/api/nominations/${id}`)).body
      .nomination;
    expect(stored.attachments).toEqual(recordedState.attachments);
    // One event per overwrite seen: each file's second overwrite is its own event, even when S3
    // stamped both within one second (the whole story can take under a second here).
    const scanEvents = await overwritesOf(sec, id, scanPolicy.attachmentId);
    const photoEvents = await overwritesOf(sec, id, photoPolicy.attachmentId);
    expect(scanEvents, JSON.stringify(scanEvents)).toHaveLength(2);
    expect(photoEvents, JSON.stringify(photoEvents)).toHaveLength(2);
  }, 120_000);
});

// ── Part B: text hygiene, inputs that gave a 500, 405, 413, 429 ──────────────────────────────

let documents: DynamoDBDocumentClient;
let sec: ApiClient;
let unit: ApiClient;
let draft: Nomination;
const base = () => baseOf(cloud);

const tableDigest = () => storedDataDigest(documents);

interface Envelope {
  error: { code: string; message: { zh: string; en: string }; path: (string | number)[] };
}

/** A raw request as a client without a session or with `who`'s; the answer's status, headers and text. */
async function send(
  method: string,
  path: string,
  options: { who?: ApiClient; body?: string; headers?: Record<string, string> } = {},
) {
  const response = await fetch(`${base()}${path}`, {
    method,
    headers: {
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(options.who?.sessionCookie ? { cookie: options.who.sessionCookie } : {}),
      ...(options.headers ?? {}),
    },
    ...(options.body === undefined ? {} : { body: options.body }),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** The answer is the error envelope: a code, a message in both languages, a path. */
function envelope(text: string): Envelope {
  const answer = JSON.parse(text) as Envelope;
  expect(Object.keys(answer)).toEqual(['error']);
  expect(answer.error.code).toMatch(/^[A-Z_]+$/);
  expect(answer.error.message.zh.length).toBeGreaterThan(0);
  expect(answer.error.message.en.length).toBeGreaterThan(0);
  expect(Array.isArray(answer.error.path)).toBe(true);
  return answer;
}

// Part B's people and draft, on the same local cloud (started above).
beforeAll(async () => {
  documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: 'cn-north-1',
      endpoint: cloud.urls.dynamodb,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  sec = await secretariatOf(cloud, 'cast-2024');
  await sec.call('POST', '/api/invitations', {
    role: 'unit',
    subjectId: 'hostile-unit',
    name: '测试学会',
    unitType: 'national-society',
    email: 'h@hostile.cn',
  });
  unit = await signedIn(cloud, await signInLinkMailedTo(cloud, 'h@hostile.cn'));
  draft = (await unit.call<{ nomination: Nomination }>('POST', '/api/nominations', { category: 'volunteer' }))
    .body.nomination;
  const saved = await unit.call<{ nomination: Nomination }>('PUT', `/api/nominations/${draft.id}/form`, {
    version: 1,
    form: volunteer(),
    noClassifiedContent: true,
  });
  draft = saved.body.nomination;
}, 60_000);

afterAll(() => {
  documents?.destroy();
});

describe('hostile user (B): invisible characters in a name and a unit name', () => {
  it.each(INVISIBLE_CLASSES)(
    'refuses a nominee name with a $label; the draft reads back unchanged',
    async ({ insert, kind }) => {
      const before = await tableDigest();
      const answer = await send('PUT', `/api/nominations/${draft.id}/form`, {
        who: unit,
        body: JSON.stringify({ version: draft.version, form: volunteer({ name: `李晓${insert}梅` }) }),
      });
      expect(answer.status).toBe(400);
      const { error } = envelope(answer.text);
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.path).toEqual(['name']);
      expect(error.message.zh).toMatch(/姓名：第 3 个字符是/);
      expect(kind.length).toBeGreaterThan(0);
      expect(await tableDigest()).toBe(before);
      const read = await unit.call<{ nomination: Nomination }>('GET', `/api/nominations/${draft.id}`);
      expect(read.body.nomination.form).toEqual(draft.form);
    },
  );

  it.each(INVISIBLE_CLASSES)(
    'refuses a unit name with a $label in an invitation; nothing is stored',
    async ({ insert }) => {
      const before = await tableDigest();
      const answer = await send('POST', '/api/invitations', {
        who: sec,
        body: JSON.stringify({
          role: 'unit',
          subjectId: 'spoof-unit',
          name: `中国${insert}天文学会`,
          unitType: 'national-society',
          email: 'spoof@hostile.cn',
        }),
      });
      expect(answer.status).toBe(400);
      const { error } = envelope(answer.text);
      expect(error.path).toEqual(['name']);
      expect(await tableDigest()).toBe(before);
    },
  );

  it('stores NFC: a name typed with a combining accent reads back composed', async () => {
    const saved = await unit.call<{ nomination: Nomination }>('PUT', `/api/nominations/${draft.id}/form`, {
      version: draft.version,
      form: volunteer({ name: 'Jose\u0301 李' }),
    });
    expect(saved.status).toBe(200);
    draft = saved.body.nomination;
    expect((draft.form as { name: string }).name).toBe('José 李');
  });
});

describe('hostile user (B): each input that gave a 500', () => {
  const huge = 'n'.repeat(5000);
  it.each([
    [
      '{"form":{"constructor":1}}',
      () => [
        'PUT',
        `/api/nominations/${draft.id}/form`,
        `{"version":${draft.version},"form":{"constructor":1}}`,
      ],
      400,
    ],
    [
      'an own __proto__ in the form',
      () => [
        'PUT',
        `/api/nominations/${draft.id}/form`,
        `{"version":${draft.version},"form":{"__proto__":{"admin":true}}}`,
      ],
      400,
    ],
    [
      'deeds of 150,000 characters',
      () => [
        'PUT',
        `/api/nominations/${draft.id}/form`,
        JSON.stringify({ version: draft.version, form: volunteer({ mainDeeds: '事'.repeat(150_000) }) }),
      ],
      400,
    ],
    ['a 5,000-character nomination id', () => ['GET', `/api/nominations/${huge}`], 404],
    ['a 5,000-character id to the audit trail', () => ['GET', `/api/nominations/${huge}/audit`], 404],
    ['a 5,000-character id to the Word form', () => ['GET', `/api/nominations/${huge}/form.docx`], 404],
    [
      'a 5,000-character id to save',
      () => ['PUT', `/api/nominations/${huge}/form`, '{"version":1,"form":{}}'],
      404,
    ],
    ['a 5,000-character campaign id', () => ['GET', `/api/campaigns/${huge}/overview`], 404],
    ['a 5,000-character public campaign', () => ['GET', `/api/public/${huge}/publicity`], 404],
    ['a 5,000-character execution name', () => ['GET', `/api/ops/executions/${huge}/history`], 404],
    ['a 5,000-character execution to restart', () => ['POST', `/api/ops/executions/${huge}/restart`], 404],
    ['an id that is not percent-encoding', () => ['GET', '/api/nominations/%E0%A4%A'], 404],
    ['a garbage nextToken', () => ['GET', '/api/ops/executions?nextToken=garbage'], 400],
    [
      'a nextToken of 5,000 characters',
      () => ['GET', `/api/ops/executions?nextToken=${'A'.repeat(5000)}`],
      400,
    ],
  ] as const)(
    'answers %s with a 4xx in the envelope, never echoing a huge id, writing nothing',
    async (_, request, status) => {
      const [method = 'GET', path = '', body] = request() as readonly string[];
      const before = await tableDigest();
      const answer = await send(method, path, {
        who: path.startsWith('/api/ops') || path.includes('/audit') ? sec : unit,
        ...(body === undefined ? {} : { body }),
      });
      expect(answer.status).toBe(status);
      envelope(answer.text);
      expect(answer.text.length).toBeLessThan(2000);
      expect(answer.text).not.toContain('n'.repeat(100));
      expect(await tableDigest()).toBe(before);
    },
  );
});

describe('hostile user (B): a wrong method is 405 with Allow, on every path of the table', () => {
  const SAMPLE: Record<string, string> = {
    id: 'n-sample',
    campaignId: 'cast-2024',
    name: 'n-sample',
    attachmentId: 'a-sample',
    jobId: 'publicity',
    objectionId: 'o-sample',
  };
  const cases = tablePaths().map((path) => {
    const allowed = allowedMethods(path);
    const wrong = ['PATCH', 'PUT', 'DELETE', 'POST', 'GET'].find((m) => !allowed.includes(m)) ?? 'PATCH';
    return { path, allowed, wrong };
  });

  it.each(cases)('$wrong $path: 405, Allow: $allowed', async ({ path, allowed, wrong }) => {
    const concrete = path.replace(/\{(\w+)\}/g, (_, name: string) => SAMPLE[name] ?? 'x');
    const answer = await send(wrong, concrete, { who: sec });
    expect(answer.status).toBe(405);
    expect(answer.headers.get('allow')?.split(/,\s*/).sort()).toEqual(allowed);
    expect(envelope(answer.text).error.code).toBe('METHOD_NOT_ALLOWED');
  });
});

describe('hostile user (B): 413 and 429 in the envelope', () => {
  it('refuses a 3 MB body with 413 PAYLOAD_TOO_LARGE in the envelope; nothing is written', async () => {
    const before = await tableDigest();
    const answer = await send('PUT', `/api/nominations/${draft.id}/form`, {
      who: unit,
      body: JSON.stringify({ version: draft.version, form: { mainDeeds: 'x'.repeat(3 * 1024 * 1024) } }),
    });
    expect(answer.status).toBe(413);
    expect(envelope(answer.text).error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await tableDigest()).toBe(before);
  });

  it(`limits anonymous objections to ${OBJECTION_RATE_LIMIT.requests} per client address in ${OBJECTION_RATE_LIMIT.windowSeconds / 60} minutes: then 429 with Retry-After`, async () => {
    const objection = JSON.stringify({
      nominationId: draft.id,
      reason: '材料与事实不符，请核实。',
      name: '张三',
      contact: '13800138000',
    });
    const statuses: number[] = [];
    for (let i = 0; i < OBJECTION_RATE_LIMIT.requests; i += 1) {
      statuses.push((await send('POST', '/api/public/cast-2024/objections', { body: objection })).status);
    }
    // Publicity is not open: each is refused on its merits, and each counts.
    expect(statuses).toEqual(Array(OBJECTION_RATE_LIMIT.requests).fill(409));
    const before = await tableDigest();
    const refused = await send('POST', '/api/public/cast-2024/objections', { body: objection });
    expect(refused.status).toBe(429);
    const { error } = envelope(refused.text);
    expect(error.code).toBe('TOO_MANY_REQUESTS');
    expect(error.message.zh).toContain('提交过于频繁');
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(OBJECTION_RATE_LIMIT.windowSeconds);
    // An address of the client's own choosing does not open a new window: the gateway, like
    // CloudFront, sets CloudFront-Viewer-Address itself from the connection.
    for (const forged of ['203.0.113.7:4431', '198.51.100.23:80']) {
      const spoofed = await send('POST', '/api/public/cast-2024/objections', {
        body: objection,
        headers: { 'cloudfront-viewer-address': forged },
      });
      expect(spoofed.status, forged).toBe(429);
    }
    expect(await tableDigest()).toBe(before);
  });
});

describe('hostile user: files with active content', () => {
  it('refuses a PDF with JavaScript and Word files with DDE and with an external template, changing nothing', async () => {
    const sec = await secretariatOf(cloud, 'cast-2024');
    const unit = await inviteAndSignIn(cloud, sec, {
      role: 'unit',
      subjectId: 'society-active',
      name: '活动内容学会',
      email: 'society-active@units.example.cn',
      unitType: 'national-society',
    });
    const created = await unit.call<{ nomination: Nomination }>('POST', '/api/nominations', {
      category: 'volunteer',
    });
    const id = created.body.nomination.id;
    const before = (await unit.call<{ nomination: Nomination }>('GET', `/api/nominations/${id}`)).body
      .nomination;
    const word = await renderFormDocx({
      campaign: builtinCampaign('cast-2024'),
      category: 'volunteer',
      form: volunteer(),
      unitName: '活动内容学会',
    });
    const attacks = [
      {
        kind: 'scan',
        contentType: 'application/pdf',
        fileName: 'scan.pdf',
        bytes: await pdfWith('open-action-javascript'),
        found: /JavaScript/,
      },
      {
        kind: 'scan',
        contentType: 'application/pdf',
        fileName: 'scan2.pdf',
        bytes: await pdfWith('names-javascript'),
        found: /JavaScript/,
      },
      {
        kind: 'word',
        contentType: DOCX,
        fileName: 'form.docx',
        bytes: docxWith(word, 'ddeauto'),
        found: /DDEAUTO/,
      },
      {
        kind: 'word',
        contentType: DOCX,
        fileName: 'form2.docx',
        bytes: docxWith(word, 'external-template'),
        found: /attached template/,
      },
    ];
    for (const attack of attacks) {
      const { recorded } = await uploadAndRecord(unit, id, attack, before.version);
      const answer = recorded as unknown as {
        status: number;
        body: { error: { code: string; message: { zh: string; en: string } } };
      };
      expect(answer.status, attack.fileName).toBe(422);
      expect(answer.body.error.code).toBe('ATTACHMENT_ACTIVE_CONTENT');
      expect(answer.body.error.message.en).toMatch(attack.found);
      expect(answer.body.error.message.zh).toMatch(/含有打开时会执行或读取外部内容的部分/);
    }
    const after = (
      await unit.call<{ nomination: Nomination; downloads: Record<string, string> }>(
        'GET',
        `/api/nominations/${id}`,
      )
    ).body;
    expect(after.nomination.attachments).toEqual([]);
    expect(after.nomination.version).toBe(before.version);
    expect(after.downloads).toEqual({});
  }, 60_000);
});

describe('hostile user: framing the console, sniffing types, posting from another site', () => {
  it('sends the security headers with every page, file and API answer, errors included', async () => {
    const base = cloud.urls.web.replace(/\/$/, '');
    const asset =
      /src="(\/assets\/[^"]+\.js)"/.exec(await (await fetch(`${base}/`)).text())?.[1] ?? '/missing.js';
    for (const path of [
      '/',
      '/signin/index.html',
      '/secretariat',
      asset,
      '/api/session',
      '/api/nominations/x',
      '/api/openapi.json',
    ]) {
      const answer = await fetch(`${base}${path}`);
      await answer.arrayBuffer();
      const csp = answer.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("script-src 'self'");
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).not.toContain('unsafe-inline');
      expect(answer.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(answer.headers.get('referrer-policy'), path).toBe('no-referrer');
      expect(answer.headers.get('x-frame-options'), path).toBe('DENY');
    }
  });

  it('refuses a signed-in post from another origin, and the data reads back unchanged', async () => {
    const sec = await secretariatOf(cloud, 'cast-2024');
    const unit = await inviteAndSignIn(cloud, sec, {
      role: 'unit',
      subjectId: 'society-csrf',
      name: '跨站学会',
      email: 'society-csrf@units.example.cn',
      unitType: 'national-society',
    });
    const before = await unit.call<{ nominations: Nomination[] }>('GET', '/api/nominations');
    const base = cloud.urls.web.replace(/\/$/, '');
    const forged = await fetch(`${base}/api/nominations`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        cookie: unit.sessionCookie,
        origin: 'https://evil.example',
      },
      body: JSON.stringify({ category: 'volunteer' }),
    });
    expect(forged.status).toBe(403);
    expect(((await forged.json()) as { error: { code: string } }).error.code).toBe('ORIGIN_REFUSED');
    expect((await unit.call('GET', '/api/nominations')).body).toEqual(before.body);
    const own = await fetch(`${base}/api/nominations`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        cookie: unit.sessionCookie,
        origin: new URL(base).origin,
      },
      body: JSON.stringify({ category: 'volunteer' }),
    });
    expect(own.status).toBe(201);
  });
});

describe("hostile user: another campaign's executions", () => {
  it("keeps one campaign's secretariat and operations out of another's list, histories and restart", async () => {
    const seeder = new LocalCloudSeeder(cloud);
    try {
      const sec = await secretariatOf(cloud, 'cast-2024');
      const unit = await inviteAndSignIn(cloud, sec, {
        role: 'unit',
        subjectId: 'society-scope',
        name: '边界学会',
        email: 'society-scope@units.example.cn',
        unitType: 'national-society',
      });
      const { id } = await seeder.submitted(unit, 'site');
      await seeder.waitingIn(id, 'screening');
      // Stopped, so a restart would be accepted from the right people.
      await seeder.sfn.send(new StopExecutionCommand({ executionArn: executionArn(id) }));
      const ownOps = await signedIn(cloud, await opsLink(cloud, 'cast-2024'));
      const listed = (client: ApiClient) =>
        client.call<{ executions: { name: string }[] }>('GET', '/api/ops/executions?status=ABORTED');
      expect((await listed(ownOps)).body.executions.map((e) => e.name)).toContain(id);

      const others = [
        await secretariatOf(cloud, 'cacs-2024'),
        await signedIn(cloud, await opsLink(cloud, 'cacs-2024')),
      ];
      for (const other of others) {
        const list = await listed(other);
        expect(list.status).toBe(200);
        expect(list.body.executions.map((e) => e.name)).not.toContain(id);
        const history = await other.call<{ error: { code: string } }>(
          'GET',
          `/api/ops/executions/${id}/history`,
        );
        expect(history.status).toBe(403);
        const restart = await other.call<{ error: { code: string } }>(
          'POST',
          `/api/ops/executions/${id}/restart`,
        );
        expect(restart.status).toBe(403);
      }
      // Nothing was restarted: the execution is still the stopped one, with no successor.
      const stopped = await seeder.sfn.send(new DescribeExecutionCommand({ executionArn: executionArn(id) }));
      expect(stopped.status).toBe('ABORTED');
      await expect(
        seeder.sfn.send(new DescribeExecutionCommand({ executionArn: executionArn(`${id}-r1`) })),
      ).rejects.toMatchObject({ name: 'ExecutionDoesNotExist' });
      expect((await ownOps.call('GET', `/api/ops/executions/${id}/history`)).status).toBe(200);
    } finally {
      seeder.destroy();
    }
  }, 60_000);
});

describe('hostile user: the session cookie', () => {
  it('is HttpOnly and SameSite=Lax, and not Secure only because the local site is plain http', async () => {
    const link = await secretariatLink(cloud, 'cast-2024');
    const answer = await fetch(`${base()}/api/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: link.split('#')[1] ?? '' }),
    });
    expect(answer.status).toBe(201);
    const cookie = answer.headers.get('set-cookie') ?? '';
    const flags = cookie.split(';').map((part) => part.trim());
    expect(flags[0]).toMatch(/^laurel_session=[^;]{20,}$/);
    expect(flags).toContain('HttpOnly');
    expect(flags).toContain('SameSite=Lax');
    expect(flags).toContain('Path=/');
    expect(base().startsWith('http://')).toBe(true);
    expect(flags).not.toContain('Secure');
  });
});

describe('hostile user: a contact whose access was revoked', () => {
  it('is signed out at once and the link sent to the address signs in no more; a planted cookie that is not ours is 401, not 500', async () => {
    const sec = await secretariatOf(cloud, 'cast-2024');
    const contact = {
      role: 'unit' as const,
      subjectId: 'revoked-society',
      name: '撤销测试学会',
      email: 'left-the-unit@revoked.example.cn',
      unitType: 'national-society',
    };
    const link = await invite(cloud, sec, contact);
    const unit = await signedIn(cloud, link);
    expect((await unit.call('GET', '/api/session')).status).toBe(200);
    // A colleague invited for the same unit keeps access.
    const colleague = await inviteAndSignIn(cloud, sec, { ...contact, email: 'stays@revoked.example.cn' });
    const revoked = await sec.call('POST', '/api/invitations/revocations', { email: contact.email });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toEqual({
      revoked: [{ role: 'unit', name: '撤销测试学会' }],
      links: 1,
      sessions: 1,
    });
    expect((await unit.call('GET', '/api/nominations')).status).toBe(401);
    const again = await send('POST', '/api/sessions', {
      body: JSON.stringify({ token: link.split('#')[1] }),
    });
    expect(again.status).toBe(403);
    // (A fresh link asked for with it is refused too: test/unit/sign-in.test.ts — not sent here, where
    // each address's fresh-link requests are counted by the rate-limit case below.)
    expect((await colleague.call('GET', '/api/nominations')).status).toBe(200);
    // Units may not revoke anyone; an address never invited is a 404 naming the field.
    expect(
      (await colleague.call('POST', '/api/invitations/revocations', { email: 'stays@revoked.example.cn' }))
        .status,
    ).toBe(403);
    const unknown = await sec.call<{ error: { path: string[] } }>('POST', '/api/invitations/revocations', {
      email: 'never@revoked.example.cn',
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.path).toEqual(['email']);
    for (const planted of ['%ff', '%', '%E0%A4%A'])
      expect(
        (await send('GET', '/api/session', { headers: { cookie: `laurel_session=${planted}` } })).status,
      ).toBe(401);
  });
});

describe('hostile user: a reused sign-in link', () => {
  const token = (link: string) => link.split('#')[1] ?? '';
  const signInWith = (link: string) =>
    send('POST', '/api/sessions', { body: JSON.stringify({ token: token(link) }) });
  const askFreshLink = (link: string) =>
    send('POST', '/api/invitations/fresh-link', { body: JSON.stringify({ token: token(link) }) });
  const SECRETARIAT = 'secretariat@cacs-2024.localhost';

  it('signs in once: the link used again is refused in both languages and changes nothing; the first session stays', async () => {
    const link = await secretariatLink(cloud, 'cacs-2024');
    const first = await signInWith(link);
    expect(first.status).toBe(201);
    const cookie = first.headers.get('set-cookie')?.split(';')[0] ?? '';
    const before = await tableDigest();
    const again = await signInWith(link);
    expect(again.status).toBe(403);
    expect(again.headers.get('set-cookie')).toBeNull();
    const { error } = envelope(again.text);
    expect(error.code).toBe('LINK_USED');
    expect(error.message.zh).toContain('已经用过一次');
    expect(error.message.en).toContain('already been used');
    expect(await tableDigest()).toBe(before);
    const me = await send('GET', '/api/session', { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(JSON.parse(me.text)).toMatchObject({ actor: { role: 'secretariat', campaignId: 'cacs-2024' } });
  });

  it('gives one session to two sign-ins racing with one link', async () => {
    const link = await secretariatLink(cloud, 'cacs-2024');
    const answers = await Promise.all([signInWith(link), signInWith(link), signInWith(link)]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 403, 403]);
  });

  it('mails a fresh link to the invited address only for a used link, answering every request the same', async () => {
    const used = await secretariatLink(cloud, 'cacs-2024');
    expect((await signInWith(used)).status).toBe(201);
    const unused = await secretariatLink(cloud, 'cacs-2024');
    const unknown = `http://x/signin/index.html#${'Z'.repeat(43)}`;
    const mailsBefore = await mails(cloud, SECRETARIAT);
    const answers = [await askFreshLink(unknown), await askFreshLink(unused), await askFreshLink(used)];
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202]);
    // The same bytes whether or not the link, or the address behind it, exists.
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    expect(JSON.parse(answers[0]?.text ?? '{}')).toEqual({ message: FRESH_LINK_ANSWER.message });
    const mailsAfter = await mails(cloud, SECRETARIAT);
    expect(mailsAfter).toHaveLength(mailsBefore.length + 1);
    const fresh = /(http:\/\/\S+\/signin\/index\.html#\S+)/.exec(mailsAfter.at(-1) ?? '')?.[1] ?? '';
    expect(fresh).not.toBe('');
    expect([used, unused]).not.toContain(fresh);
    // The unused link still signs in (asking for it changed nothing); the fresh one signs in once.
    expect((await signInWith(unused)).status).toBe(201);
    expect((await signInWith(fresh)).status).toBe(201);
    expect((await signInWith(fresh)).status).toBe(403);
  });

  it(`limits fresh-link requests to ${FRESH_LINK_RATE_LIMIT.requests} per client address in ${FRESH_LINK_RATE_LIMIT.windowSeconds / 60} minutes, and mails one person at most ${FRESH_LINKS_PER_PERSON.requests} an hour`, async () => {
    const used = await opsLink(cloud, 'cacs-2024');
    expect((await signInWith(used)).status).toBe(201);
    const mailsBefore = (await mails(cloud, 'operations@cacs-2024.localhost')).length;
    const statuses: number[] = [];
    for (let i = 0; i < FRESH_LINK_RATE_LIMIT.requests + 1; i += 1)
      statuses.push((await askFreshLink(used)).status);
    // The earlier cases of this file asked three times from this address.
    const allowed = FRESH_LINK_RATE_LIMIT.requests - 3;
    expect(statuses.slice(0, allowed)).toEqual(Array(allowed).fill(202));
    expect(statuses.slice(allowed)).toEqual(Array(statuses.length - allowed).fill(429));
    const before = await tableDigest();
    const refused = await askFreshLink(used);
    expect(refused.status).toBe(429);
    expect(envelope(refused.text).error.code).toBe('TOO_MANY_REQUESTS');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await tableDigest()).toBe(before);
    expect((await mails(cloud, 'operations@cacs-2024.localhost')).length - mailsBefore).toBe(
      FRESH_LINKS_PER_PERSON.requests,
    );
  });
});

describe("hostile user: the API's own endpoint, past the edge", () => {
  const direct = (path: string, init: RequestInit = {}) =>
    fetch(`${cloud.urls.executeApi}${path}`, init).then(async (r) => ({
      status: r.status,
      text: await r.text(),
    }));
  const refused = (answer: { status: number; text: string }) => {
    expect(answer.status).toBe(403);
    const { error } = envelope(answer.text);
    expect(error.code).toBe('NOT_THROUGH_SITE');
    expect(error.message.zh).toContain('请通过本系统的网址访问');
  };

  it('refuses every request that did not come through the site: public, signed in, unknown path, wrong method', async () => {
    expect((await send('GET', '/api/health')).status).toBe(200);
    refused(await direct('/api/health'));
    refused(await direct('/api/openapi.json'));
    refused(await direct('/api/no-such-route'));
    refused(await direct('/api/health', { method: 'PATCH' }));
    refused(await direct('/api/session', { headers: { cookie: sec.sessionCookie ?? '' } }));
    // A guessed proof is no proof.
    refused(await direct('/api/health', { headers: { 'x-laurel-origin-proof': 'x'.repeat(64) } }));
  });

  it('counts no objection sent past the edge under an address of its own choosing, and stores nothing', async () => {
    const before = await tableDigest();
    for (const forged of ['203.0.113.9:443', '198.51.100.77:80']) {
      refused(
        await direct('/api/public/cast-2024/objections', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'cloudfront-viewer-address': forged },
          body: JSON.stringify({
            nominationId: draft.id,
            reason: '材料与事实不符。',
            name: '张三',
            contact: '13800138000',
          }),
        }),
      );
    }
    // Refused before the rate limit and any store call: the table reads back the same.
    expect(await tableDigest()).toBe(before);
  });

  it('takes the proof from the edge only: the site drops a client’s own, and the right one is the only key', async () => {
    const proof = process.env.LAUREL_ORIGIN_PROOF ?? '';
    expect(proof.length).toBeGreaterThanOrEqual(32);
    const throughSite = await send('GET', '/api/health', { headers: { 'x-laurel-origin-proof': 'forged' } });
    expect(throughSite.status).toBe(200);
    expect(throughSite.text).not.toContain(proof);
    expect((await direct('/api/health', { headers: { 'x-laurel-origin-proof': proof } })).status).toBe(200);
  });
});
