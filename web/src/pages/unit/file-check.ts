import { sniffType } from '../../../../functions/documents/file-type.js';
import {
  ATTACHMENT_RULES,
  type AttachmentKind,
  DOCX_MIME,
  declaredUploadType,
  describeContent,
  sizeLimits,
  UPLOAD_TYPES,
  WORD_BINARY_MIME,
} from '../../../../functions/rules/attachments.js';
import { type Campaign, MEBIBYTE } from '../../../../functions/rules/campaign.js';
import type { Bilingual } from '../../i18n.js';

/**
 * The checks a file passes in the browser before anything is sent: the campaign's size bounds
 * for its kind (`sizeLimits`, the numbers the presigned POST policy carries) and its type read
 * from its bytes (`sniffType`, the same detector the server runs — file-type, whose package
 * resolves to its platform-neutral `core` build in the browser bundle). The server checks
 * again after the upload; this only spares the clerk a refused upload and says why in words.
 */

export type FileVerdict =
  | { ok: true; mime: string; ext: string }
  | { ok: false; problems: Bilingual[]; detected: string | undefined };

/** "0.9 MB", "1 MB", "350 KB": one decimal, as people read sizes (1 MB = 1,048,576 bytes, as the notice means it). */
export function sizeText(bytes: number): Bilingual {
  if (bytes >= MEBIBYTE / 10) {
    const mb = (bytes / MEBIBYTE).toFixed(1).replace(/\.0$/, '');
    return { zh: `${mb} MB`, en: `${mb} MB` };
  }
  if (bytes >= 1024) {
    const kb = Math.round(bytes / 1024);
    return { zh: `${kb} KB`, en: `${kb} KB` };
  }
  return { zh: `${bytes} 字节`, en: `${bytes} bytes` };
}

/** Two sizes that would read the same once rounded are given to the byte. */
function sizesApart(size: number, limit: number): [Bilingual, Bilingual] {
  const a = sizeText(size);
  const b = sizeText(limit);
  if (a.zh !== b.zh) return [a, b];
  const exact = (n: number): Bilingual => ({
    zh: `${n.toLocaleString('en-US')} 字节`,
    en: `${n.toLocaleString('en-US')} bytes`,
  });
  return [exact(size), exact(limit)];
}

/** What each kind must be, and what to do instead, said as a clerk needs it. */
const WANTED: Record<AttachmentKind, { is: Bilingual; todo: Bilingual }> = {
  scan: {
    is: { zh: 'PDF', en: 'a PDF' },
    todo: { zh: '请上传盖章后的扫描 PDF', en: 'upload the stamped form scanned to PDF' },
  },
  photo: {
    is: { zh: 'JPEG 或 PNG 照片', en: 'a JPEG or PNG photo' },
    todo: { zh: '请上传 JPG 或 PNG 格式的照片原图', en: 'upload the original photo as JPG or PNG' },
  },
  word: {
    is: { zh: 'Word 文档（.docx、.doc 或 .wps）', en: 'a Word document (.docx, .doc or .wps)' },
    todo: {
      zh: '请上传从本页下载并填好的推荐表 Word 文件',
      en: 'upload the Word form downloaded from this page, filled in',
    },
  },
  consent: {
    is: { zh: 'PDF', en: 'a PDF' },
    todo: {
      zh: '请上传被推荐人签字的知情同意书扫描 PDF',
      en: "upload the nominee's signed consent scanned to PDF",
    },
  },
};

/** A file's problems for `kind`, each in Chinese and English; none when it may be uploaded. */
export async function checkFile(
  campaign: Campaign,
  kind: AttachmentKind,
  file: { size: number; name?: string; arrayBuffer(): Promise<ArrayBuffer> },
): Promise<FileVerdict> {
  const problems: Bilingual[] = [];
  const { minBytes, maxBytes } = sizeLimits(campaign, kind);
  const label = ATTACHMENT_RULES[kind].label;
  if (file.size < minBytes) {
    const [size, min] = sizesApart(file.size, minBytes);
    problems.push(
      file.size === 0
        ? { zh: `${label.zh}文件是空的`, en: `The ${label.en} file is empty` }
        : {
            zh: `${label.zh}文件过小：${size.zh}，要求不小于 ${min.zh}`,
            en: `The ${label.en} file is too small: ${size.en}; it must be at least ${min.en}`,
          },
    );
  }
  if (file.size > maxBytes) {
    const [size, max] = sizesApart(file.size, maxBytes);
    problems.push({
      zh: `${label.zh}文件过大：${size.zh}，要求不超过 ${max.zh}`,
      en: `The ${label.en} file is too large: ${size.en}; it must be at most ${max.en}`,
    });
  }
  const detected = file.size > 0 ? await sniffType(new Uint8Array(await file.arrayBuffer())) : undefined;
  if (file.size > 0 && (!detected || !ATTACHMENT_RULES[kind].mimeTypes.includes(detected.mime))) {
    const found = describeContent(detected);
    const wanted = WANTED[kind];
    problems.push({
      zh: `文件内容是${/^[A-Za-z]/.test(found.zh) ? ' ' : ''}${found.zh}，不是 ${wanted.is.zh}：${wanted.todo.zh}`,
      en: `The file's content is ${found.en}, not ${wanted.is.en}: ${wanted.todo.en}`,
    });
  }
  if (problems.length > 0 || !detected) return { ok: false, problems, detected: detected?.mime };
  // What the upload declares: a Word 97–2003 file named .wps is kept (and forwarded) as a .wps.
  const declared = declaredUploadType(detected.mime, file.name ?? '');
  return { ok: true, mime: declared, ext: UPLOAD_TYPES[declared]?.ext ?? detected.ext };
}

/** The file dialog's filter per kind (a convenience only: the content is what is checked). */
export const ACCEPT: Record<AttachmentKind, string> = {
  word: `.docx,.doc,.wps,${DOCX_MIME},${WORD_BINARY_MIME}`,
  scan: '.pdf,application/pdf',
  photo: '.jpg,.jpeg,.png,image/jpeg,image/png',
  consent: '.pdf,application/pdf',
};
