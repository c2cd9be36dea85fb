import { describe, expect, it } from 'vitest';
import {
  ATTACHMENT_KINDS,
  type AttachmentKind,
  attachmentSetIssues,
  checkAttachmentSize,
  contentMatchesDeclared,
  DOCX_MIME,
  declaredTypeMismatch,
  declaredUploadType,
  describeContent,
  formatSize,
  requiredCounts,
  sizeLimits,
  typeMismatch,
  WORD_BINARY_MIME,
  WPS_MIME,
} from '../../functions/rules/attachments.js';
import type { Campaign } from '../../functions/rules/campaign.js';
import { builtinCampaign } from '../../functions/rules/campaigns/index.js';
import { AttachmentRejectedError } from '../../functions/rules/errors.js';

/**
 * The attachment rules word for word (functions/rules/attachments.ts): sizes, what a file's
 * content is called, the refusals of a wrong or wrongly announced type, and the set a
 * nomination needs. Campaigns are read inside each test.
 */

const cast = () => builtinCampaign('cast-2024');

function rejection(act: () => unknown): AttachmentRejectedError {
  try {
    act();
  } catch (error) {
    if (error instanceof AttachmentRejectedError) return error;
    throw error;
  }
  throw new Error('the file was accepted');
}

const files = (counts: Partial<Record<AttachmentKind, number>>) =>
  ATTACHMENT_KINDS.flatMap((kind) => Array.from({ length: counts[kind] ?? 0 }, () => ({ kind })));

describe('a size in a message', () => {
  it('is in bytes below 1 MiB and in MB with the bytes from 1 MiB on', () => {
    expect(formatSize(999)).toBe('999 B');
    expect(formatSize(1_048_575)).toBe('1,048,575 B');
    expect(formatSize(1_048_576)).toBe('1.00 MB (1,048,576 B)');
    expect(formatSize(3_145_729)).toBe('3.00 MB (3,145,729 B)');
  });
});

describe('the size of a file', () => {
  it('is refused below the minimum, naming both sizes in both languages', () => {
    const error = rejection(() => checkAttachmentSize(cast(), 'photo', 999_999));
    expect([error.code, error.kind, error.path]).toEqual(['ATTACHMENT_TOO_SMALL', 'rule', ['photo']]);
    expect(error.messages).toEqual({
      zh: '照片太小：999,999 B，不得小于 1,000,000 B',
      en: 'The photo is too small: 999,999 B; the minimum is 1,000,000 B',
    });
    expect(error.details).toEqual({ kind: 'photo', size: 999_999, minBytes: 1_000_000, maxBytes: 3_145_728 });
  });

  it('is refused above the maximum, naming both sizes in both languages', () => {
    const error = rejection(() => checkAttachmentSize(cast(), 'scan', 20_971_521));
    expect([error.code, error.path]).toEqual(['ATTACHMENT_TOO_LARGE', ['scan']]);
    expect(error.messages).toEqual({
      zh: '盖章扫描 PDF 版太大：20.00 MB (20,971,521 B)，不得超过 20.00 MB (20,971,520 B)',
      en: 'The stamped scan (PDF) is too large: 20.00 MB (20,971,521 B); the maximum is 20.00 MB (20,971,520 B)',
    });
  });

  it('takes the limits of the scan for the consent scan when the round sets none of its own', () => {
    expect(sizeLimits(cast(), 'consent')).toEqual({ minBytes: 1, maxBytes: 20_971_520 });
    const own: Campaign = {
      ...cast(),
      attachments: { ...cast().attachments, consent: { minBytes: 5, maxBytes: 9 } },
    };
    expect(sizeLimits(own, 'consent')).toEqual({ minBytes: 5, maxBytes: 9 });
    expect(() => checkAttachmentSize(own, 'consent', 9)).not.toThrow();
    expect(rejection(() => checkAttachmentSize(own, 'consent', 10)).path).toEqual(['consent']);
  });
});

describe('what a file is, in words', () => {
  it.each([
    ['image/png', 'png', 'PNG 图片', 'a PNG image'],
    ['image/jpeg', 'jpg', 'JPEG 图片', 'a JPEG image'],
    ['application/pdf', 'pdf', 'PDF 文件', 'a PDF file'],
    [DOCX_MIME, 'docx', 'Word 文档（.docx）', 'a Word document (.docx)'],
    [WORD_BINARY_MIME, 'doc', 'Word 97-2003 文档（.doc/.wps）', 'a Word 97-2003 document (.doc/.wps)'],
    [
      'application/x-cfb',
      'cfb',
      '不含 Word 正文的 Office 旧版文件（如 Excel .xls）',
      'an old Office file without a Word body (an Excel .xls, say)',
    ],
    ['application/zip', 'zip', 'ZIP 压缩包', 'a ZIP archive'],
    ['image/gif', 'gif', 'GIF 文件', 'a GIF file'],
  ])('calls %s content what it is', (mime, ext, zh, en) => {
    expect(describeContent({ mime, ext })).toEqual({ zh, en });
  });

  it('says when the format cannot be recognised', () => {
    expect(describeContent(undefined)).toEqual({
      zh: '无法识别的格式',
      en: 'of a format that cannot be recognised',
    });
  });
});

describe('a file whose content is not what its kind needs', () => {
  it('is refused naming what was needed and what it is', () => {
    const error = typeMismatch('photo', { mime: 'application/pdf', ext: 'pdf' });
    expect([error.code, error.kind, error.path]).toEqual(['ATTACHMENT_TYPE_MISMATCH', 'rule', ['photo']]);
    expect(error.messages).toEqual({
      zh: '照片应为JPEG 或 PNG 图片，但文件内容是PDF 文件',
      en: "The photo must be a JPEG or PNG image, but the file's content is a PDF file",
    });
    expect(error.details).toEqual({
      kind: 'photo',
      expected: ['image/jpeg', 'image/png'],
      detected: 'application/pdf',
    });
    expect(typeMismatch('word', undefined).details).toEqual({
      kind: 'word',
      expected: [DOCX_MIME, WORD_BINARY_MIME],
      detected: null,
    });
  });

  it('is refused when announced as another accepted type, asking for the file again', () => {
    const error = declaredTypeMismatch('word', 'doc', { mime: DOCX_MIME, ext: 'docx' });
    expect([error.code, error.path]).toEqual(['ATTACHMENT_TYPE_MISMATCH', ['word']]);
    expect(error.messages).toEqual({
      zh: '推荐表 Word 版上传时声明为 .doc 文件，但文件内容是Word 文档（.docx），请重新选择文件上传',
      en: 'The nomination form (Word) was announced as a .doc file, but its content is a Word document (.docx); choose the file again and upload it',
    });
    expect(error.details).toEqual({ kind: 'word', expected: WORD_BINARY_MIME, detected: DOCX_MIME });
    expect(declaredTypeMismatch('word', 'odt', { mime: DOCX_MIME, ext: 'docx' }).details).toEqual({
      kind: 'word',
      expected: null,
      detected: DOCX_MIME,
    });
  });
});

describe('the type an upload declares and keeps', () => {
  it('keeps a Word 97–2003 binary named .wps as a .wps, whatever the case and trailing spaces', () => {
    expect(declaredUploadType(WORD_BINARY_MIME, '推荐表.WPS ')).toBe(WPS_MIME);
    expect(declaredUploadType(WORD_BINARY_MIME, '推荐表.doc')).toBe(WORD_BINARY_MIME);
    expect(declaredUploadType(WORD_BINARY_MIME, '推荐表.wps.doc')).toBe(WORD_BINARY_MIME);
    expect(declaredUploadType(DOCX_MIME, '推荐表.wps')).toBe(DOCX_MIME);
    expect(declaredUploadType('application/pdf', 'scan.pdf')).toBe('application/pdf');
  });

  it('matches content to the extension it was kept under, a .wps holding a Word 97–2003 binary', () => {
    expect(contentMatchesDeclared('wps', WORD_BINARY_MIME)).toBe(true);
    expect(contentMatchesDeclared('doc', WORD_BINARY_MIME)).toBe(true);
    expect(contentMatchesDeclared('docx', WORD_BINARY_MIME)).toBe(false);
    expect(contentMatchesDeclared('jpg', 'image/jpeg')).toBe(true);
    expect(contentMatchesDeclared('exe', 'application/x-msdownload')).toBe(false);
  });
});

describe('the files a nomination needs', () => {
  it('are the Word form, the scan and the category’s photos, and a consent scan where the round asks', () => {
    expect(requiredCounts(cast(), 'volunteer')).toEqual({
      word: [1, 1],
      scan: [1, 1],
      photo: [2, 3],
      consent: [0, 0],
    });
    const asking: Campaign = { ...cast(), privacy: { ...cast().privacy, consentScan: true } };
    expect(requiredCounts(asking, 'site').consent).toEqual([1, 1]);
    const noSites: Campaign = { ...cast(), categories: cast().categories.filter((c) => c.id !== 'site') };
    expect(requiredCounts(noSites, 'site').photo).toEqual([0, 0]);
  });

  it('words what is missing, as a range or an exact number', () => {
    expect(attachmentSetIssues(cast(), 'volunteer', files({ word: 1, scan: 1, photo: 1 }))).toEqual([
      {
        path: ['attachments', 'photo'],
        code: 'too_few',
        message: { zh: '照片须 2—3 份，现有 1 份', en: 'photo: 2–3 needed, 1 uploaded' },
      },
    ]);
    expect(attachmentSetIssues(cast(), 'site', files({ scan: 1, photo: 2 }))).toEqual([
      {
        path: ['attachments', 'word'],
        code: 'too_few',
        message: {
          zh: '推荐表 Word 版须 1 份，现有 0 份',
          en: 'nomination form (Word): 1 needed, 0 uploaded',
        },
      },
    ]);
  });

  it('words what is too many, and takes exactly the maximum', () => {
    expect(attachmentSetIssues(cast(), 'volunteer', files({ word: 1, scan: 1, photo: 3 }))).toEqual([]);
    expect(
      attachmentSetIssues(cast(), 'volunteer', files({ word: 2, scan: 1, photo: 4, consent: 1 })),
    ).toEqual([
      {
        path: ['attachments', 'word'],
        code: 'too_many',
        message: {
          zh: '推荐表 Word 版最多 1 份，现有 2 份',
          en: 'nomination form (Word): at most 1, 2 uploaded',
        },
      },
      {
        path: ['attachments', 'photo'],
        code: 'too_many',
        message: { zh: '照片最多 3 份，现有 4 份', en: 'photo: at most 3, 4 uploaded' },
      },
      {
        path: ['attachments', 'consent'],
        code: 'too_many',
        message: {
          zh: '被推荐人签字的知情同意书（扫描 PDF）最多 0 份，现有 1 份',
          en: "nominee's signed consent (scanned PDF): at most 0, 1 uploaded",
        },
      },
    ]);
  });
});
