import { describe, expect, it } from 'vitest';
import { sha256Of } from '../../../functions/documents/checksum.js';
import { ATTACHMENT_RULES } from '../../../functions/rules/attachments.js';
import { createDraft } from '../../../functions/use-cases/nominations.js';
import { screen } from '../../../functions/use-cases/screening.js';
import {
  auditOverwrites,
  displayFileName,
  downloadLinks,
  OVERWRITE_IGNORED,
  presignAttachment,
  readRecorded,
  recordAttachment,
  removeAttachment,
  requestUpload,
  UPLOAD_WINDOW_SECONDS,
} from '../../../functions/use-cases/uploads.js';
import { docx, jpeg, pdf, wordBinary, wpsFile } from '../../fixtures/files.js';
import { memoryWorld, type World } from '../../support/memory/index.js';
import {
  inviteExperts,
  inviteUnit,
  secretariatOf,
  stored,
  submitted,
  upload,
} from '../../support/memory/people.js';
import { refusal } from '../../support/refusal.js';

/**
 * The file use cases (functions/use-cases/uploads.ts) edge by edge, as a mutation pass found them
 * reached only through the happy path: what a presigned upload allows, what recording a file
 * keeps and refuses, removal, the recorded version pinned, and overwrites written to the audit.
 */

const PDF = 'application/pdf';

async function draftOf(world: World) {
  const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society');
  const draft = await createDraft(world.deps, unit, { category: 'volunteer' });
  return { unit, draft };
}

describe('displayFileName', () => {
  it('keeps the last path segment of either kind of slash, without control characters, trimmed', () => {
    expect(displayFileName('C:\\Users\\张三\\推荐表.docx')).toBe('推荐表.docx');
    expect(displayFileName('../../etc/照片.jpg')).toBe('照片.jpg');
    expect(displayFileName('  扫描\u0000件\u001f.pdf \n')).toBe('扫描件.pdf');
  });

  it('keeps 120 characters at most, and names a file with nothing left "file"', () => {
    expect(displayFileName(`${'长'.repeat(130)}.pdf`)).toBe('长'.repeat(120));
    expect(displayFileName('a'.repeat(120))).toBe('a'.repeat(120));
    expect(displayFileName('dir/')).toBe('file');
    expect(displayFileName(' \u0007 ')).toBe('file');
  });
});

describe('requestUpload', () => {
  it('signs a post for the kind under the nomination, in its size range, for five minutes', async () => {
    const world = memoryWorld();
    const { unit, draft } = await draftOf(world);
    const policy = await requestUpload(world.deps, unit, draft.id, {
      kind: 'photo',
      contentType: 'image/png',
      fileName: 'p.png',
    });
    expect(policy.key).toBe(`nominations/${draft.id}/photo/${policy.attachmentId}.png`);
    expect(policy).toMatchObject({ minBytes: 1_000_000, maxBytes: 3_145_728 });
    expect(policy.fields).toMatchObject({ key: policy.key, 'Content-Type': 'image/png' });
    expect(UPLOAD_WINDOW_SECONDS).toBe(300);
    expect(Date.parse(policy.expiresAt) - world.clock.now().getTime()).toBe(300_000);
    const word = await requestUpload(world.deps, unit, draft.id, {
      kind: 'word',
      contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      fileName: 'w.docx',
    });
    expect(word.key).toMatch(/\/word\/a-[0-9a-z]+\.docx$/);
    expect(word).toMatchObject({ minBytes: 1, maxBytes: 10_485_760 });
  });

  it('refuses a content type the kind does not take, naming the field and the types it takes', async () => {
    const world = memoryWorld();
    const { unit, draft } = await draftOf(world);
    const e = await refusal(
      requestUpload(world.deps, unit, draft.id, { kind: 'photo', contentType: PDF, fileName: 'p.pdf' }),
    );
    expect(e).toMatchObject({ code: 'ATTACHMENT_TYPE_MISMATCH', kind: 'rule', path: ['contentType'] });
    expect(e.messages.zh).toMatch(/^照片应为/);
    expect(e.messages.en).toMatch(/^The photo must be /);
  });

  it('refuses one file more than the category takes, and a malformed request', async () => {
    const world = memoryWorld();
    const { unit, draft } = await draftOf(world);
    const withScan = await upload(world, unit, draft, 'scan');
    const e = await refusal(
      requestUpload(world.deps, unit, withScan.id, { kind: 'scan', contentType: PDF, fileName: 'again.pdf' }),
    );
    expect(e).toMatchObject({ code: 'TOO_MANY_ATTACHMENTS', kind: 'rule', path: ['kind'] });
    expect(e.messages.zh).toBe(`${ATTACHMENT_RULES.scan.label.zh}最多 1 份，请先删除一份`);
    expect(e.messages.en).toMatch(/^At most 1 .+\(s\); remove one first$/);
    const malformed = await refusal(
      requestUpload(world.deps, unit, draft.id, { kind: 'video', contentType: PDF, fileName: 'x' }),
    );
    expect(malformed.code).toBe('VALIDATION_FAILED');
    expect(malformed.messages.zh).toMatch(/^上传请求/);
    expect(malformed.messages.en).toMatch(/^The upload request/);
  });

  it('refuses a submitted nomination, and anyone but its unit', async () => {
    const world = memoryWorld();
    const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society');
    await inviteExperts(world, 'cast-2024', [{ id: 'e1' }, { id: 'e2' }, { id: 'e3' }]);
    const n = await submitted(world, unit, 'site');
    const e = await refusal(
      requestUpload(world.deps, unit, n.id, { kind: 'scan', contentType: PDF, fileName: 's.pdf' }),
    );
    expect(e).toMatchObject({ code: 'NOT_EDITABLE', kind: 'conflict', path: ['status'] });
    expect(e.messages).toEqual({
      zh: '已提交的推荐不能更换附件',
      en: 'A submitted nomination cannot change its attachments',
    });
    const record = await refusal(
      recordAttachment(world.deps, unit, n.id, {
        attachmentId: 'a-00000001',
        kind: 'scan',
        fileName: 's.pdf',
        version: n.version,
      }),
    );
    expect(record.code).toBe('NOT_EDITABLE');
    const secretariat = secretariatOf('cast-2024');
    const forbidden = await refusal(
      requestUpload(world.deps, secretariat, n.id, { kind: 'scan', contentType: PDF, fileName: 's.pdf' }),
    );
    expect(forbidden.kind).toBe('forbidden');
  });
});

/** A nomination of cas-astro submitted with its files and returned by the secretariat with `reasons`. */
async function returnedOf(world: World, category: 'site' | 'volunteer', reasons: string) {
  const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society');
  await inviteExperts(world, 'cast-2024', [{ id: 'e1' }, { id: 'e2' }, { id: 'e3' }]);
  const n = await submitted(world, unit, category);
  const returned = await screen(world.deps, secretariatOf('cast-2024'), n.id, {
    version: n.version,
    decision: 'return',
    reasons,
  });
  return { unit, n, returned };
}

describe('a returned nomination', () => {
  it('may change its files again while it is being corrected', async () => {
    const world = memoryWorld();
    const { unit, n, returned } = await returnedOf(world, 'site', '请更换盖章扫描件。');
    const [, scan] = returned.attachments;
    if (!scan) throw new Error('no scan');
    const removed = await removeAttachment(world.deps, unit, n.id, scan.id, returned.version);
    expect(removed.attachments.map((a) => a.kind)).not.toContain('scan');
    const again = await upload(world, unit, removed, 'scan');
    expect(again.attachments.filter((a) => a.kind === 'scan')).toHaveLength(1);
  });
});

describe('recordAttachment', () => {
  it('records what was inspected: version, checksum, size, type, shown name, time; the nomination one version on', async () => {
    const world = memoryWorld();
    const { unit, draft } = await draftOf(world);
    const bytes = pdf(40_000);
    const policy = await requestUpload(world.deps, unit, draft.id, {
      kind: 'scan',
      contentType: PDF,
      fileName: 's.pdf',
    });
    await world.deps.uploads.post(policy.fields, bytes);
    world.clock.advance(60_000);
    const input = {
      attachmentId: policy.attachmentId,
      kind: 'scan',
      fileName: 'D:\\扫描\\盖章.pdf',
      version: 1,
    };
    const recorded = await recordAttachment(world.deps, unit, draft.id, input);
    expect(recorded.version).toBe(draft.version + 1);
    const record = recorded.attachment;
    expect(record).toEqual({
      id: policy.attachmentId,
      kind: 'scan',
      key: policy.key,
      versionId: (await world.deps.uploads.currentVersion(policy.key))?.versionId,
      sha256: sha256Of(bytes),
      size: 40_000,
      mime: PDF,
      fileName: '盖章.pdf',
      uploadedAt: world.clock.now().toISOString(),
    });
    const now = await stored(world, draft.id);
    expect(now.attachments).toEqual([record]);
    expect(now.version).toBe(recorded.version);
    expect(now.updatedAt).toBe(world.clock.now().toISOString());
    // A retried request (same attachment) answers the same and changes nothing.
    expect(await recordAttachment(world.deps, unit, draft.id, input)).toEqual(recorded);
    // Posted again at the version it raised, it is not added twice either.
    expect(
      await recordAttachment(world.deps, unit, draft.id, { ...input, version: recorded.version }),
    ).toEqual(recorded);
    expect(await stored(world, draft.id)).toEqual(now);
  });

  it('keeps a Word file as .docx, .doc or .wps — the type it was announced as — once its content agrees', async () => {
    const world = memoryWorld();
    const { unit, draft } = await draftOf(world);
    let version = draft.version;
    const kept: Record<string, { key: string; mime: string }> = {};
    for (const [contentType, fileName, bytes] of [
      ['application/msword', '推荐表.doc', wordBinary()],
      ['application/vnd.ms-works', '推荐表.wps', wpsFile()],
    ] as const) {
      const policy = await requestUpload(world.deps, unit, draft.id, { kind: 'word', contentType, fileName });
      expect(policy.fields['Content-Type']).toBe(contentType);
      await world.deps.uploads.post(policy.fields, bytes);
      const input = { attachmentId: policy.attachmentId, kind: 'word', fileName, version };
      const recorded = await recordAttachment(world.deps, unit, draft.id, input);
      const record = recorded.attachment;
      kept[fileName] = { key: record?.key ?? '', mime: record?.mime ?? '' };
      // One Word file a nomination: remove it before the next.
      version = (await removeAttachment(world.deps, unit, draft.id, policy.attachmentId, recorded.version))
        .version;
    }
    expect(kept['推荐表.doc']).toEqual({
      key: expect.stringMatching(/\/word\/a-[0-9a-z]+\.doc$/),
      mime: 'application/msword',
    });
    expect(kept['推荐表.wps']).toEqual({
      key: expect.stringMatching(/\/word\/a-[0-9a-z]+\.wps$/),
      mime: 'application/msword',
    });
  });

  it('refuses, deletes and names a Word file whose content is not the type it was announced as', async () => {
    const world = memoryWorld();
    const { unit, draft } = await draftOf(world);
    const policy = await requestUpload(world.deps, unit, draft.id, {
      kind: 'word',
      contentType: 'application/msword',
      fileName: '推荐表.doc',
    });
    // A .docx renamed .doc: a Word file, but it would be kept and forwarded as a .doc.
    await world.deps.uploads.post(policy.fields, docx());
    const e = await refusal(
      recordAttachment(world.deps, unit, draft.id, {
        attachmentId: policy.attachmentId,
        kind: 'word',
        fileName: '推荐表.doc',
        version: draft.version,
      }),
    );
    expect(e).toMatchObject({ code: 'ATTACHMENT_TYPE_MISMATCH', path: ['word'] });
    expect(e.messages).toEqual({
      zh: '推荐表 Word 版上传时声明为 .doc 文件，但文件内容是Word 文档（.docx），请重新选择文件上传',
      en: 'The nomination form (Word) was announced as a .doc file, but its content is a Word document (.docx); choose the file again and upload it',
    });
    expect(world.deps.uploads.keys()).not.toContain(policy.key);
    expect((await stored(world, draft.id)).attachments).toEqual([]);
  });

  it('refuses a file that was never uploaded', async () => {
    const world = memoryWorld();
    const { unit, draft } = await draftOf(world);
    const e = await refusal(
      recordAttachment(world.deps, unit, draft.id, {
        attachmentId: 'a-00000001',
        kind: 'scan',
        fileName: 's.pdf',
        version: 1,
      }),
    );
    expect(e).toMatchObject({ code: 'UPLOAD_NOT_FOUND', kind: 'not-found', path: ['attachmentId'] });
    expect(e.messages).toEqual({
      zh: '未找到上传的文件，请重新上传',
      en: 'The uploaded file was not found; upload it again',
    });
    const malformed = await refusal(recordAttachment(world.deps, unit, draft.id, { attachmentId: 'x' }));
    expect(malformed.messages.zh).toMatch(/^登记附件/);
    expect(malformed.messages.en).toMatch(/^The attachment record/);
    expect((await stored(world, draft.id)).attachments).toEqual([]);
  });

  it('deletes a file that fails inspection and records nothing', async () => {
    const world = memoryWorld();
    const { unit, draft } = await draftOf(world);
    const policy = await requestUpload(world.deps, unit, draft.id, {
      kind: 'scan',
      contentType: PDF,
      fileName: 's.pdf',
    });
    // A Word file posted as a PDF: S3 takes the declared type, the inspection reads the bytes.
    await world.deps.uploads.post(policy.fields, docx());
    const e = await refusal(
      recordAttachment(world.deps, unit, draft.id, {
        attachmentId: policy.attachmentId,
        kind: 'scan',
        fileName: 's.pdf',
        version: 1,
      }),
    );
    expect(e.code).toBe('ATTACHMENT_TYPE_MISMATCH');
    expect(await world.deps.uploads.read(policy.key)).toBeUndefined();
    expect((await stored(world, draft.id)).attachments).toEqual([]);
  });
});

describe('recordAttachment without reading the nomination first', () => {
  /** A draft of cas-astro with a scan uploaded to storage, not yet recorded. */
  async function uploaded(world: World, bytes = pdf(40_000)) {
    const { unit, draft } = await draftOf(world);
    const policy = await requestUpload(world.deps, unit, draft.id, {
      kind: 'scan',
      contentType: PDF,
      fileName: 's.pdf',
    });
    await world.deps.uploads.post(policy.fields, bytes);
    const input = { attachmentId: policy.attachmentId, kind: 'scan', fileName: 's.pdf', version: 1 };
    return { unit, draft, policy, input };
  }

  /** Counts the store's reads of nominations. */
  function countingReads(world: World) {
    const get = world.deps.store.get.bind(world.deps.store);
    const counter = { reads: 0 };
    world.deps.store.get = async (id) => {
      counter.reads += 1;
      return get(id);
    };
    return counter;
  }

  it('records a file by its one write, reading nothing', async () => {
    const world = memoryWorld();
    const { unit, draft, input } = await uploaded(world);
    const counter = countingReads(world);
    const writes = world.deps.store.writes;
    const recorded = await recordAttachment(world.deps, unit, draft.id, input);
    expect(counter.reads).toBe(0);
    expect(world.deps.store.writes - writes).toBe(1);
    expect((await stored(world, draft.id)).attachments).toEqual([recorded.attachment]);
  });

  it("answers another unit's record with the route's 403, reading the nomination; nothing written, nothing deleted", async () => {
    const world = memoryWorld();
    const { draft, policy, input } = await uploaded(world, docx());
    const other = await inviteUnit(world, 'cast-2024', 'cas-physics', 'national-society');
    for (const body of [input, { ...input, kind: 'photo' }, {}]) {
      const e = await refusal(recordAttachment(world.deps, other, draft.id, body));
      expect(e).toMatchObject({ code: 'FORBIDDEN', kind: 'forbidden' });
      expect(e.messages).toEqual({
        zh: '无权访问：这是其他活动或其他单位的数据',
        en: 'Not allowed: this belongs to another campaign or another unit',
      });
    }
    // The file failed its inspection (a Word file as the scan), but only its own unit's refusal deletes it.
    expect(world.deps.uploads.keys()).toContain(policy.key);
    expect((await stored(world, draft.id)).attachments).toEqual([]);
  });

  it('answers a nomination that is not there with 404, whatever the body', async () => {
    const world = memoryWorld();
    const { unit, input } = await uploaded(world);
    for (const body of [input, {}]) {
      const e = await refusal(recordAttachment(world.deps, unit, 'n-missing0001', body));
      expect(e).toMatchObject({ code: 'NOT_FOUND', kind: 'not-found' });
      expect(e.messages).toEqual({ zh: '推荐“n-missing0001”不存在', en: 'No nomination "n-missing0001"' });
    }
  });

  it('answers a page holding an older version with VERSION_CONFLICT, nothing written', async () => {
    const world = memoryWorld();
    const { unit, draft, input } = await uploaded(world);
    await upload(world, unit, draft, 'word');
    const e = await refusal(recordAttachment(world.deps, unit, draft.id, input));
    expect(e).toMatchObject({ code: 'VERSION_CONFLICT', kind: 'conflict' });
    expect(e.messages).toEqual({
      zh: '该推荐已被他人或另一窗口修改，请刷新后重试',
      en: 'This nomination was changed elsewhere meanwhile; reload and try again',
    });
    expect((await stored(world, draft.id)).attachments.map((a) => a.kind)).toEqual(['word']);
  });

  it('cannot slip a file into a nomination submitted after the page read it: NOT_EDITABLE', async () => {
    const world = memoryWorld();
    const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society');
    await inviteExperts(world, 'cast-2024', [{ id: 'e1' }, { id: 'e2' }, { id: 'e3' }]);
    const n = await submitted(world, unit, 'site');
    // A policy taken while it was a draft, the file posted; the page still holds the draft's version.
    const campaign = world.deps.campaigns.get('cast-2024');
    if (!campaign) throw new Error('no cast-2024');
    const policy = await presignAttachment(world.deps, campaign, n.id, 'photo', 'image/jpeg');
    await world.deps.uploads.post(policy.fields, jpeg(1_100_000));
    const e = await refusal(
      recordAttachment(world.deps, unit, n.id, {
        attachmentId: policy.attachmentId,
        kind: 'photo',
        fileName: 'p.jpg',
        version: n.version - 1,
      }),
    );
    expect(e).toMatchObject({ code: 'NOT_EDITABLE', kind: 'conflict', path: ['status'] });
    expect((await stored(world, n.id)).attachments).toHaveLength(n.attachments.length);
  });

  it('records a file on a returned nomination by reading it (its index place moves with the change)', async () => {
    const world = memoryWorld();
    const { unit, n, returned } = await returnedOf(world, 'volunteer', '请补一张照片。');
    const photo = returned.attachments.find((a) => a.kind === 'photo');
    if (!photo) throw new Error('no photo');
    const removed = await removeAttachment(world.deps, unit, n.id, photo.id, returned.version);
    const counter = countingReads(world);
    const after = await upload(world, unit, removed, 'photo');
    // The request's own read (uploads' policy, and the record's fallback), and the helper's after.
    expect(counter.reads).toBe(3);
    expect(after.attachments).toHaveLength(returned.attachments.length);
    expect(after.attachments.map((a) => a.id)).not.toContain(photo.id);
    expect(after.version).toBe(removed.version + 1);
    expect(after.status).toBe('returned');
  });
});

describe('removeAttachment', () => {
  it('removes the file and its record, one version on; an unknown one changes nothing', async () => {
    const world = memoryWorld();
    const { unit, draft } = await draftOf(world);
    const withWord = await upload(world, unit, draft, 'word');
    const withScan = await upload(world, unit, withWord, 'scan');
    const [word, scan] = withScan.attachments;
    if (!scan) throw new Error('no scan recorded');
    expect(await removeAttachment(world.deps, unit, draft.id, 'a-unknown', withScan.version)).toEqual(
      withScan,
    );
    world.clock.advance(60_000);
    const removed = await removeAttachment(world.deps, unit, draft.id, scan.id, withScan.version);
    expect(removed.attachments).toEqual([word]);
    expect(removed.version).toBe(withScan.version + 1);
    expect(removed.updatedAt).toBe(world.clock.now().toISOString());
    expect(await stored(world, draft.id)).toEqual(removed);
    expect(await world.deps.uploads.read(scan.key)).toBeUndefined();
  });

  it('refuses on a submitted nomination and keeps the file', async () => {
    const world = memoryWorld();
    const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society');
    await inviteExperts(world, 'cast-2024', [{ id: 'e1' }, { id: 'e2' }, { id: 'e3' }]);
    const n = await submitted(world, unit, 'site');
    const [first] = n.attachments;
    if (!first) throw new Error('no attachment');
    const e = await refusal(removeAttachment(world.deps, unit, n.id, first.id, n.version));
    expect(e.code).toBe('NOT_EDITABLE');
    expect(await world.deps.uploads.read(first.key)).toBeDefined();
  });
});

describe('the recorded version, and overwrites after it', () => {
  async function recordedScan(world: World) {
    const { unit, draft } = await draftOf(world);
    const n = await upload(world, unit, draft, 'scan', pdf(40_000));
    const [scan] = n.attachments;
    if (!scan) throw new Error('no scan recorded');
    return { n, scan };
  }

  it('reads the recorded bytes, and refuses a version that is gone or not the one inspected', async () => {
    const world = memoryWorld();
    const { scan } = await recordedScan(world);
    expect(await readRecorded(world.deps.uploads, scan)).toEqual(pdf(40_000));
    const gone = await refusal(readRecorded(world.deps.uploads, { ...scan, versionId: 'v-gone' }));
    expect(gone).toMatchObject({
      code: 'ATTACHMENT_CHANGED',
      kind: 'conflict',
      path: ['attachments', 'scan'],
    });
    expect(gone.messages.zh).toContain(scan.fileName);
    expect(gone.messages.en).toBe(
      `The file "${scan.fileName}" is not the one inspected when it was recorded; it is not used — contact the secretariat`,
    );
    const other = await refusal(readRecorded(world.deps.uploads, { ...scan, sha256: sha256Of(pdf(1)) }));
    expect(other.code).toBe('ATTACHMENT_CHANGED');
  });

  it('writes each overwrite to the audit once, naming its version; links still give the recorded version', async () => {
    const world = memoryWorld();
    const { n, scan } = await recordedScan(world);
    const audit = async () =>
      (await world.deps.store.auditTrail(n.id)).filter((e) => e.action === OVERWRITE_IGNORED);

    await auditOverwrites(world.deps, n);
    expect(await audit()).toEqual([]);

    world.clock.advance(60_000);
    await world.deps.uploads.put(scan.key, pdf(50_000), PDF);
    const overwrite = await world.deps.uploads.currentVersion(scan.key);
    const links = await downloadLinks(world.deps, n);
    await auditOverwrites(world.deps, n);
    const events = await audit();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      at: world.clock.now().toISOString(),
      actor: {
        role: 'system',
        subjectId: `attachment:${scan.id}:version:${overwrite?.versionId}`,
        name: 'Laurel',
      },
    });
    expect(events[0]?.reason).toContain(
      `${ATTACHMENT_RULES.scan.label.zh}“${scan.fileName}”在登记后被再次上传`,
    );

    expect(Object.keys(links)).toEqual([scan.id]);
    const link = links[scan.id] ?? '';
    expect(new URL(link).searchParams.get('versionId')).toBe(scan.versionId);
    expect(new URL(link).searchParams.get('response-content-type')).toBe(PDF);
    expect(world.deps.uploads.download(link)).toEqual(pdf(40_000));

    // A second overwrite within the same instant is a second event: its version differs.
    await world.deps.uploads.put(scan.key, pdf(60_000), PDF);
    await auditOverwrites(world.deps, n);
    expect(await audit()).toHaveLength(2);
  });
});
