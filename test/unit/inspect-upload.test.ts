import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { renderFormDocx } from '../../functions/documents/form-docx.js';
import {
  ATTACHMENT_ACTIVE_CONTENT,
  ATTACHMENT_CORRUPT,
  ATTACHMENT_DIMENSIONS,
  inspectUpload,
  MIN_PHOTO_SIDE,
} from '../../functions/documents/inspect-upload.js';
import type { AttachmentKind } from '../../functions/rules/attachments.js';
import { builtinCampaign } from '../../functions/rules/campaigns/index.js';
import { AttachmentRejectedError } from '../../functions/rules/errors.js';
import { docxWith, docxWithHyperlink, pdfOpeningAtFirstPage, pdfWith } from '../fixtures/active-content.js';
import * as fake from '../fixtures/files.js';
import { validForms } from '../fixtures/forms.js';
import {
  encryptedPdf,
  interlacedPng,
  jpegClaimingSize,
  pngBomb,
  pngClaimingSize,
  realJpeg,
  realPdf,
  realPng,
  truncated,
  withGarbageBody,
} from '../fixtures/real-files.js';

const MIB = 1_048_576;

/** The error inspectUpload rejects with, so each test can look at its code, path and message. */
async function rejection(kind: AttachmentKind, bytes: Uint8Array): Promise<AttachmentRejectedError> {
  const error = await inspectUpload(kind, bytes).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AttachmentRejectedError);
  return error as AttachmentRejectedError;
}

async function expectCorrupt(kind: AttachmentKind, bytes: Uint8Array, zh: RegExp) {
  const error = await rejection(kind, bytes);
  expect(error.code).toBe(ATTACHMENT_CORRUPT);
  expect(error.path).toEqual([kind]);
  expect(error.messages.zh).toMatch(zh);
  expect(error.messages.en).toMatch(/^The /);
  return error;
}

describe('inspectUpload: PDF scans', () => {
  it('accepts a real PDF and counts its pages', async () => {
    expect(await inspectUpload('scan', await realPdf(3))).toEqual({
      mime: 'application/pdf',
      ext: 'pdf',
      pages: 3,
    });
  });

  it('refuses a PDF cut off during upload', async () => {
    await expectCorrupt('scan', truncated(await realPdf(2), 0.8), /不完整/);
  });

  it('refuses a PDF whose header and %%EOF are right but whose body is garbage', async () => {
    const pdf = await realPdf();
    await expectCorrupt('scan', withGarbageBody(pdf, 20, 8), /无法解析/);
  });

  it('refuses an encrypted PDF, saying so', async () => {
    const error = await expectCorrupt('scan', await encryptedPdf(), /已加密/);
    expect(error.messages.en).toContain('encrypted');
  });

  it('refuses the padded fake PDF of files.ts (magic bytes and %%EOF, zeros between)', async () => {
    const error = await expectCorrupt('scan', fake.pdf(MIB), /无法解析/);
    // The parser's own words stay with the error for the logs, out of what the unit is answered.
    expect(error.details).toEqual({ kind: 'scan' });
    expect((error as { cause?: unknown }).cause).toBeInstanceOf(Error);
  });

  it('refuses a PNG uploaded as the scan as a type mismatch', async () => {
    const error = await rejection('scan', realPng());
    expect(error.code).toBe('ATTACHMENT_TYPE_MISMATCH');
    expect(error.path).toEqual(['scan']);
    expect(error.messages.zh).toContain('PNG');
  });
});

describe('inspectUpload: photos', () => {
  it('accepts a real 400×300 JPEG and reports its size', async () => {
    expect(await inspectUpload('photo', realJpeg(400, 300))).toEqual({
      mime: 'image/jpeg',
      ext: 'jpg',
      width: 400,
      height: 300,
    });
  });

  it('accepts a real 400×300 PNG and an interlaced one', async () => {
    const expected = { mime: 'image/png', ext: 'png', width: 400, height: 300 };
    expect(await inspectUpload('photo', realPng(400, 300))).toEqual(expected);
    expect(await inspectUpload('photo', interlacedPng(400, 300))).toEqual(expected);
  });

  it('refuses truncated images', async () => {
    await expectCorrupt('photo', truncated(realJpeg()), /无法解码/);
    await expectCorrupt('photo', truncated(realPng(), 0.9), /无法解码/);
  });

  it('refuses images whose first bytes are right but whose body is garbage', async () => {
    await expectCorrupt('photo', withGarbageBody(realJpeg(), 700, 2), /无法解码/);
    await expectCorrupt('photo', withGarbageBody(realPng(), 40, 12), /无法解码/);
  });

  it('refuses the padded fake JPEG and PNG of files.ts', async () => {
    await expectCorrupt('photo', fake.jpeg(MIB), /无法解码/);
    await expectCorrupt('photo', fake.png(MIB), /无法解码/);
  });

  it(`refuses an image with a side under ${MIN_PHOTO_SIDE} px, naming its size`, async () => {
    for (const bytes of [realJpeg(MIN_PHOTO_SIDE - 1, 300), realPng(400, MIN_PHOTO_SIDE - 1)]) {
      const error = await rejection('photo', bytes);
      expect(error.code).toBe(ATTACHMENT_DIMENSIONS);
      expect(error.path).toEqual(['photo']);
      expect(error.messages.zh).toMatch(/照片太小：\d+×\d+ 像素/);
    }
    expect(await inspectUpload('photo', realPng(MIN_PHOTO_SIDE, MIN_PHOTO_SIDE))).toMatchObject({
      width: MIN_PHOTO_SIDE,
    });
  });

  it('refuses images claiming more pixels than the decoder may allocate, before decoding them', async () => {
    for (const bytes of [jpegClaimingSize(10_000, 8_000), pngClaimingSize(10_000, 8_000)]) {
      const error = await rejection('photo', bytes);
      expect(error.code).toBe(ATTACHMENT_DIMENSIONS);
      expect(error.messages.zh).toContain('像素过多');
    }
  });

  it('refuses an interlaced PNG whose data inflates beyond its size (decompression bomb)', async () => {
    await expectCorrupt('photo', pngBomb(), /超出其尺寸/);
  });

  it('refuses a PDF uploaded as a photo as a type mismatch', async () => {
    const error = await rejection('photo', await realPdf());
    expect(error.code).toBe('ATTACHMENT_TYPE_MISMATCH');
    expect(error.path).toEqual(['photo']);
  });
});

describe('inspectUpload: Word forms', () => {
  const docxContentTypes = strToU8(
    '<Types><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
  );

  it('accepts the Word form Laurel renders and the minimal docx of files.ts', async () => {
    const rendered = await renderFormDocx({
      campaign: builtinCampaign('cast-2024'),
      category: 'project',
      form: validForms.project,
      unitName: '苏州市科协',
    });
    const expected = {
      mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      ext: 'docx',
    };
    expect(await inspectUpload('word', rendered)).toEqual(expected);
    expect(await inspectUpload('word', fake.docx())).toEqual(expected);
  });

  it('refuses a zip that claims to be Word but holds no word/document.xml', async () => {
    const zip = zipSync({
      '[Content_Types].xml': docxContentTypes,
      'word/styles.xml': strToU8('<w:styles/>'),
    });
    await expectCorrupt('word', zip, /缺少正文/);
  });

  it('refuses a word/document.xml that is not a Word body', async () => {
    const zip = zipSync({ '[Content_Types].xml': docxContentTypes, 'word/document.xml': strToU8('hello') });
    await expectCorrupt('word', zip, /不是 Word 文档/);
  });

  it('refuses a Word file cut off during upload', async () => {
    await expectCorrupt('word', truncated(fake.docx(), 0.7), /无法解压/);
  });

  it('accepts a real Word 97–2003 .doc and a WPS Office .wps (the same OLE format), by their WordDocument stream', async () => {
    const binary = { mime: 'application/msword', ext: 'doc' };
    expect(await inspectUpload('word', fake.wordBinary())).toEqual(binary);
    expect(await inspectUpload('word', fake.wpsFile())).toEqual(binary);
  });

  it('refuses an OLE file without a WordDocument stream (an .xls renamed .doc), naming the field in both languages', async () => {
    const error = await rejection('word', fake.oleWorkbook());
    expect(error.code).toBe('ATTACHMENT_TYPE_MISMATCH');
    expect(error.path).toEqual(['word']);
    expect(error.messages).toEqual({
      zh: '推荐表 Word 版应为Word 文档（.docx、.doc 或 .wps），但文件内容是不含 Word 正文的 Office 旧版文件（如 Excel .xls）',
      en: "The nomination form (Word) must be a Word document (.docx, .doc or .wps), but the file's content is an old Office file without a Word body (an Excel .xls, say)",
    });
  });

  it('refuses a PDF or a photo renamed .doc or .wps: the content decides', async () => {
    expect((await rejection('word', await realPdf())).code).toBe('ATTACHMENT_TYPE_MISMATCH');
    expect((await rejection('word', realJpeg(400, 300))).code).toBe('ATTACHMENT_TYPE_MISMATCH');
  });

  it('refuses a .doc carrying macros, and one cut off during upload', async () => {
    const macros = await rejection('word', fake.wordBinaryWithMacros());
    expect(macros.code).toBe(ATTACHMENT_ACTIVE_CONTENT);
    expect(macros.messages.zh).toContain('宏（VBA）');
    const cut = await inspectUpload('word', truncated(fake.wordBinary(), 0.5)).then(
      () => undefined,
      (e: unknown) => e as AttachmentRejectedError,
    );
    expect(cut?.path).toEqual(['word']);
  });

  it('refuses a plain zip as a type mismatch', async () => {
    const error = await rejection('word', fake.plainZip());
    expect(error.code).toBe('ATTACHMENT_TYPE_MISMATCH');
    expect(error.path).toEqual(['word']);
    expect(error.messages.en).toContain('Word');
  });
});

describe('active content: refused, naming what was found', () => {
  const wordForm = () =>
    renderFormDocx({
      campaign: builtinCampaign('cast-2024'),
      category: 'volunteer',
      form: validForms.volunteer,
      unitName: '中国天文学会',
    });

  it.each([
    ['open-action-javascript', /JavaScript/],
    ['names-javascript', /JavaScript/],
    ['launch-action', /Launch/],
    ['page-additional-actions', /AA/],
    ['embedded-file', /embedded files/],
    ['xfa', /XFA/],
    ['obfuscated-name', /JavaScript/],
  ] as const)('refuses a PDF with %s', async (attack, en) => {
    const error = await rejection('scan', await pdfWith(attack));
    expect(error.code).toBe(ATTACHMENT_ACTIVE_CONTENT);
    expect(error.path).toEqual(['scan']);
    expect(error.messages.en).toMatch(en);
    expect(error.messages.zh).toMatch(/^盖章扫描 PDF 版含有打开时会执行或读取外部内容的部分/);
  });

  it('accepts a PDF whose OpenAction only opens its first page', async () => {
    await expect(inspectUpload('scan', await pdfOpeningAtFirstPage())).resolves.toMatchObject({ pages: 1 });
  });

  it.each([
    ['ddeauto', /DDEAUTO/],
    ['dde-split-across-runs', /DDEAUTO/],
    ['includepicture', /INCLUDEPICTURE/],
    ['external-template', /attached template/],
    ['linked-image', /linked picture/],
    ['macros', /macros/],
  ] as const)('refuses a Word file with %s', async (attack, en) => {
    const error = await rejection('word', docxWith(await wordForm(), attack));
    expect(error.code).toBe(ATTACHMENT_ACTIVE_CONTENT);
    expect(error.path).toEqual(['word']);
    expect(error.messages.en).toMatch(en);
    expect(error.messages.zh).toMatch(/^推荐表 Word 版含有/);
  });

  it('accepts a Word file with an ordinary hyperlink', async () => {
    await expect(inspectUpload('word', docxWithHyperlink(await wordForm()))).resolves.toMatchObject({
      ext: 'docx',
    });
  });
});
