import { describe, expect, it } from 'vitest';
import { checkAttachment, sniffType } from '../../functions/documents/file-type.js';
import { assertAttachmentsComplete, attachmentSetIssues } from '../../functions/rules/attachments.js';
import { builtinCampaign } from '../../functions/rules/campaigns/index.js';
import { AttachmentRejectedError, IncompleteAttachmentsError } from '../../functions/rules/errors.js';
import { docx, jpeg, pdf, plainZip, png } from '../fixtures/files.js';

const cast = builtinCampaign('cast-2024');
const MiB = 1_048_576;

const rejection = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AttachmentRejectedError);
    return error as AttachmentRejectedError;
  }
  throw new Error('expected the attachment to be rejected');
};

describe('photo size, where "1M" = 1,000,000 bytes as commonly read', () => {
  it('accepts a photo of 1,000,000 bytes and refuses one of 999,999', async () => {
    const small = await rejection(checkAttachment(cast, 'photo', { bytes: jpeg(999_999) }));
    expect(small.code).toBe('ATTACHMENT_TOO_SMALL');
    expect(small.messages.zh).toBe('照片太小：999,999 B，不得小于 1,000,000 B');
    await expect(checkAttachment(cast, 'photo', { bytes: jpeg(1_000_000) })).resolves.toEqual({
      mime: 'image/jpeg',
      ext: 'jpg',
    });
  });

  it('accepts 3 MB exactly and refuses 3 MB + 1 byte', async () => {
    await expect(checkAttachment(cast, 'photo', { bytes: png(3 * MiB) })).resolves.toMatchObject({
      mime: 'image/png',
    });
    const large = await rejection(checkAttachment(cast, 'photo', { bytes: png(3 * MiB + 1) }));
    expect(large.code).toBe('ATTACHMENT_TOO_LARGE');
    expect(large.details).toMatchObject({ size: 3 * MiB + 1, maxBytes: 3 * MiB });
    expect(large.messages.en).toBe(
      'The photo is too large: 3.00 MB (3,145,729 B); the maximum is 3.00 MB (3,145,728 B)',
    );
  });

  it('takes the declared size when only the head of the file was read', async () => {
    const head = jpeg(4096);
    await expect(checkAttachment(cast, 'photo', { bytes: head, size: 2 * MiB })).resolves.toMatchObject({
      mime: 'image/jpeg',
    });
    expect((await rejection(checkAttachment(cast, 'photo', { bytes: head, size: 4096 }))).code).toBe(
      'ATTACHMENT_TOO_SMALL',
    );
  });
});

describe('file types judged by content, not by name', () => {
  it('recognises PDF, JPEG, PNG and DOCX by their bytes', async () => {
    expect(await sniffType(pdf(2000))).toEqual({ mime: 'application/pdf', ext: 'pdf' });
    expect(await sniffType(jpeg(2000))).toMatchObject({ mime: 'image/jpeg' });
    expect(await sniffType(png(2000))).toMatchObject({ mime: 'image/png' });
    expect(await sniffType(docx())).toMatchObject({ ext: 'docx' });
  });

  it('refuses a PNG uploaded as the stamped PDF scan, whatever its name', async () => {
    const error = await rejection(checkAttachment(cast, 'scan', { bytes: png(200_000) }));
    expect(error.code).toBe('ATTACHMENT_TYPE_MISMATCH');
    expect(error.details).toMatchObject({ expected: ['application/pdf'], detected: 'image/png' });
    expect(error.messages.zh).toBe('盖章扫描 PDF 版应为PDF 文件，但文件内容是PNG 图片');
  });

  it('refuses a plain zip, a PDF or unknown bytes as the Word form', async () => {
    expect((await rejection(checkAttachment(cast, 'word', { bytes: plainZip() }))).code).toBe(
      'ATTACHMENT_TYPE_MISMATCH',
    );
    expect((await rejection(checkAttachment(cast, 'word', { bytes: pdf(5000) }))).code).toBe(
      'ATTACHMENT_TYPE_MISMATCH',
    );
    const unknown = await rejection(
      checkAttachment(cast, 'word', { bytes: new TextEncoder().encode('just text') }),
    );
    expect(unknown.messages.en).toContain('of a format that cannot be recognised');
    await expect(checkAttachment(cast, 'word', { bytes: docx() })).resolves.toMatchObject({ ext: 'docx' });
  });

  it('refuses a PDF as a photo', async () => {
    expect((await rejection(checkAttachment(cast, 'photo', { bytes: pdf(2 * MiB) }))).code).toBe(
      'ATTACHMENT_TYPE_MISMATCH',
    );
  });
});

describe('the set of attachments per category', () => {
  const set = (photos: number) => [
    { kind: 'word' as const },
    { kind: 'scan' as const },
    ...Array.from({ length: photos }, () => ({ kind: 'photo' as const })),
  ];

  it('takes 2 or 3 photos for a volunteer and refuses 1 or 4', () => {
    expect(attachmentSetIssues(cast, 'volunteer', set(2))).toEqual([]);
    expect(attachmentSetIssues(cast, 'volunteer', set(3))).toEqual([]);
    expect(attachmentSetIssues(cast, 'volunteer', set(1))).toEqual([
      {
        path: ['attachments', 'photo'],
        code: 'too_few',
        message: { zh: '照片须 2—3 份，现有 1 份', en: 'photo: 2–3 needed, 1 uploaded' },
      },
    ]);
    expect(attachmentSetIssues(cast, 'volunteer', set(4))[0]).toMatchObject({ code: 'too_many' });
  });

  it('takes exactly 2 photos for the other categories', () => {
    for (const category of ['organization', 'project', 'site'] as const) {
      expect(attachmentSetIssues(cast, category, set(2))).toEqual([]);
      expect(attachmentSetIssues(cast, category, set(3))[0]?.code).toBe('too_many');
    }
  });

  it('needs the Word form and the stamped scan, and says all that is missing at once', () => {
    try {
      assertAttachmentsComplete(cast, 'project', [{ kind: 'photo' }]);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(IncompleteAttachmentsError);
      const e = error as IncompleteAttachmentsError;
      expect(e.issues.map((i) => i.path[1])).toEqual(['word', 'scan', 'photo']);
      expect(e.messages.zh).toBe(
        '附件不完整：推荐表 Word 版须 1 份，现有 0 份；盖章扫描 PDF 版须 1 份，现有 0 份；照片须 2 份，现有 1 份',
      );
    }
  });
});
