import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Of } from '../../functions/documents/checksum.js';
import { renderFormDocx } from '../../functions/documents/form-docx.js';
import { builtinCampaign } from '../../functions/rules/campaigns/index.js';
import type { Nomination } from '../../functions/rules/nomination.js';
import { type LocalCloud, startLocalCloud } from '../../infra/local/cloud.js';
import { volunteer } from '../fixtures/forms.js';
import { realJpeg, realPdf } from '../fixtures/real-files.js';
import type { ApiClient } from '../support/api-client.js';
import { awaiting, inviteAndSignIn, secretariatOf } from '../support/people.js';

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
  const recorded = await unit.call<{ nomination: Nomination }>('POST', `/api/nominations/${id}/attachments`, {
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
      version = recorded.body.nomination.version;
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
    const afterRecording = (await unit.call<{ nomination: Nomination }>('GET', `/api/nominations/${id}`)).body
      .nomination;
    expect(afterRecording.attachments).toEqual(recordedState.attachments);
    expect(afterRecording.version).toBe(recordedState.version);

    // 2. After submission: the photo's form posted again with other bytes.
    const submittedAnswer = await unit.call('POST', `/api/nominations/${id}/submit`, { version });
    expect(submittedAnswer.status, JSON.stringify(submittedAnswer.body)).toBe(200);
    const waiting = await awaiting(sec, id, 'screening');
    expect(await postToBucket(photoPolicy, photo(1_500_000).fill(0x41, 700_000), 'image/jpeg', 'y.jpg')).toBe(
      204,
    );
    expect(await servedFiles(sec, id)).toEqual(original);

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
    const overwrites = (await auditActions(sec, id)).filter((a) => a === 'attachment:overwrite-ignored');
    // One event per overwrite seen (two in one second on one key are one version apart but one event).
    expect(overwrites.length).toBeGreaterThanOrEqual(3);
  }, 120_000);
});
