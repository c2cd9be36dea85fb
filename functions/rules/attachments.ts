import { type Campaign, categoryOf, MEBIBYTE } from './campaign.js';
import type { CategoryId } from './categories.js';
import { AttachmentRejectedError, type FieldIssue, IncompleteAttachmentsError } from './errors.js';
import type { Bilingual } from './i18n.js';

/** Media types of the accepted Word files, as their content is detected. */
export const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
/** Word 97–2003: an OLE compound file holding a WordDocument stream (documents/file-type.ts). */
export const WORD_BINARY_MIME = 'application/msword';
/** What an upload of a WPS Office .wps declares: by content it is a Word 97–2003 binary. */
export const WPS_MIME = 'application/vnd.ms-works';

/**
 * The media types an upload may declare: the extension its stored object (and the forwarding
 * package) carries, and what its content must be detected as. A .doc and a .wps hold the same
 * binary format; only the name they are kept under differs.
 */
export const UPLOAD_TYPES: Readonly<Record<string, { ext: string; content: string }>> = {
  'image/jpeg': { ext: 'jpg', content: 'image/jpeg' },
  'image/png': { ext: 'png', content: 'image/png' },
  'application/pdf': { ext: 'pdf', content: 'application/pdf' },
  [DOCX_MIME]: { ext: 'docx', content: DOCX_MIME },
  [WORD_BINARY_MIME]: { ext: 'doc', content: WORD_BINARY_MIME },
  [WPS_MIME]: { ext: 'wps', content: WORD_BINARY_MIME },
};

const UPLOAD_TYPES_BY_EXT: Readonly<Record<string, { ext: string; content: string }>> = Object.fromEntries(
  Object.values(UPLOAD_TYPES).map((t) => [t.ext, t]),
);

/**
 * The extension a stored upload is kept under: the last dot of its key's last segment, or
 * `fallback` when that segment has none. Keys are made with one (`<kind>/<id>.<ext>`); a key
 * without it must not lend its whole path, or another folder's dotted name, as an extension.
 */
export function keptExtension(key: string, fallback: string): string {
  const name = key.slice(key.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 && dot < name.length - 1 ? name.slice(dot + 1) : fallback;
}

/** Whether content detected as `detectedMime` is what an upload kept under `.ext` declared. */
export const contentMatchesDeclared = (ext: string, detectedMime: string): boolean =>
  UPLOAD_TYPES_BY_EXT[ext]?.content === detectedMime;

/**
 * The type an upload declares for a file whose content was detected as `detected`: its own,
 * except that a Word 97–2003 binary named .wps is declared (and kept) as a .wps.
 */
export function declaredUploadType(detectedMime: string, fileName: string): string {
  return detectedMime === WORD_BINARY_MIME && /\.wps$/i.test(fileName.trim()) ? WPS_MIME : detectedMime;
}

/**
 * What a nomination must carry besides its form: the form as a Word file, the stamped scan as
 * a PDF, and photos (2–3 for a volunteer, 2 otherwise; each ≥ 1 MiB and ≤ 3 MiB). A file's
 * type is judged by its content (magic bytes), never by its name or declared Content-Type.
 */

/** `consent`: the nominee's signed consent, scanned, in a campaign whose privacy settings ask for it. */
export const ATTACHMENT_KINDS = ['word', 'scan', 'photo', 'consent'] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];

interface KindRule {
  label: Bilingual;
  /** Media types accepted, as detected from the bytes. */
  mimeTypes: readonly string[];
  accepted: Bilingual;
}

export const ATTACHMENT_RULES: Record<AttachmentKind, KindRule> = {
  word: {
    label: { zh: '推荐表 Word 版', en: 'nomination form (Word)' },
    mimeTypes: [DOCX_MIME, WORD_BINARY_MIME],
    accepted: { zh: 'Word 文档（.docx、.doc 或 .wps）', en: 'a Word document (.docx, .doc or .wps)' },
  },
  scan: {
    label: { zh: '盖章扫描 PDF 版', en: 'stamped scan (PDF)' },
    mimeTypes: ['application/pdf'],
    accepted: { zh: 'PDF 文件', en: 'a PDF file' },
  },
  photo: {
    label: { zh: '照片', en: 'photo' },
    mimeTypes: ['image/jpeg', 'image/png'],
    accepted: { zh: 'JPEG 或 PNG 图片', en: 'a JPEG or PNG image' },
  },
  consent: {
    label: { zh: '被推荐人签字的知情同意书（扫描 PDF）', en: "nominee's signed consent (scanned PDF)" },
    mimeTypes: ['application/pdf'],
    accepted: { zh: 'PDF 文件', en: 'a PDF file' },
  },
};

/** Sizes in messages: bytes with thousands separators and, from 1 MiB up, MB with two decimals. */
export function formatSize(bytes: number): string {
  const exact = `${bytes.toLocaleString('en-US')} B`;
  return bytes >= MEBIBYTE ? `${(bytes / MEBIBYTE).toFixed(2)} MB (${exact})` : exact;
}

/** Size bounds of one kind in this campaign (inclusive); the presigned POST policy uses the same. */
export function sizeLimits(campaign: Campaign, kind: AttachmentKind): { minBytes: number; maxBytes: number } {
  return campaign.attachments[kind] ?? campaign.attachments.scan;
}

export function checkAttachmentSize(campaign: Campaign, kind: AttachmentKind, size: number): void {
  const { minBytes, maxBytes } = sizeLimits(campaign, kind);
  const label = ATTACHMENT_RULES[kind].label;
  const details = { kind, size, minBytes, maxBytes };
  if (size < minBytes) {
    throw new AttachmentRejectedError(
      'ATTACHMENT_TOO_SMALL',
      [kind],
      {
        zh: `${label.zh}太小：${formatSize(size)}，不得小于 ${formatSize(minBytes)}`,
        en: `The ${label.en} is too small: ${formatSize(size)}; the minimum is ${formatSize(minBytes)}`,
      },
      details,
    );
  }
  if (size > maxBytes) {
    throw new AttachmentRejectedError(
      'ATTACHMENT_TOO_LARGE',
      [kind],
      {
        zh: `${label.zh}太大：${formatSize(size)}，不得超过 ${formatSize(maxBytes)}`,
        en: `The ${label.en} is too large: ${formatSize(size)}; the maximum is ${formatSize(maxBytes)}`,
      },
      details,
    );
  }
}

/** What a file is, in words, from its detected media type. */
export function describeContent(detected: { mime: string; ext: string } | undefined): Bilingual {
  if (!detected) return { zh: '无法识别的格式', en: 'of a format that cannot be recognised' };
  switch (detected.mime) {
    case 'image/png':
      return { zh: 'PNG 图片', en: 'a PNG image' };
    case 'image/jpeg':
      return { zh: 'JPEG 图片', en: 'a JPEG image' };
    case 'application/pdf':
      return { zh: 'PDF 文件', en: 'a PDF file' };
    case DOCX_MIME:
      return { zh: 'Word 文档（.docx）', en: 'a Word document (.docx)' };
    case WORD_BINARY_MIME:
      return { zh: 'Word 97-2003 文档（.doc/.wps）', en: 'a Word 97-2003 document (.doc/.wps)' };
    case 'application/x-cfb':
      return {
        zh: '不含 Word 正文的 Office 旧版文件（如 Excel .xls）',
        en: 'an old Office file without a Word body (an Excel .xls, say)',
      };
    case 'application/zip':
      return { zh: 'ZIP 压缩包', en: 'a ZIP archive' };
    default:
      return {
        zh: `${detected.ext.toUpperCase()} 文件`,
        en: `a ${detected.ext.toUpperCase()} file`,
      };
  }
}

/** The refusal of a file whose content is not what its kind needs, naming what it is. */
export function typeMismatch(
  kind: AttachmentKind,
  detected: { mime: string; ext: string } | undefined,
): AttachmentRejectedError {
  const rule = ATTACHMENT_RULES[kind];
  const found = describeContent(detected);
  return new AttachmentRejectedError(
    'ATTACHMENT_TYPE_MISMATCH',
    [kind],
    {
      zh: `${rule.label.zh}应为${rule.accepted.zh}，但文件内容是${found.zh}`,
      en: `The ${rule.label.en} must be ${rule.accepted.en}, but the file's content is ${found.en}`,
    },
    { kind, expected: rule.mimeTypes, detected: detected?.mime ?? null },
  );
}

/**
 * The refusal of a file whose content is an accepted kind but not the type its upload declared
 * (a .docx posted where a .doc was announced): it would be kept and forwarded under a wrong name.
 */
export function declaredTypeMismatch(
  kind: AttachmentKind,
  declaredExt: string,
  detected: { mime: string; ext: string },
): AttachmentRejectedError {
  const label = ATTACHMENT_RULES[kind].label;
  const found = describeContent(detected);
  return new AttachmentRejectedError(
    'ATTACHMENT_TYPE_MISMATCH',
    [kind],
    {
      zh: `${label.zh}上传时声明为 .${declaredExt} 文件，但文件内容是${found.zh}，请重新选择文件上传`,
      en: `The ${label.en} was announced as a .${declaredExt} file, but its content is ${found.en}; choose the file again and upload it`,
    },
    { kind, expected: UPLOAD_TYPES_BY_EXT[declaredExt]?.content ?? null, detected: detected.mime },
  );
}

/** How many files of each kind a nomination of this category needs: [min, max]. */
export function requiredCounts(
  campaign: Campaign,
  category: CategoryId,
): Record<AttachmentKind, [number, number]> {
  const photos = categoryOf(campaign, category)?.photos ?? { min: 0, max: 0 };
  const consent: [number, number] = campaign.privacy.consentScan ? [1, 1] : [0, 0];
  return { word: [1, 1], scan: [1, 1], photo: [photos.min, photos.max], consent };
}

/** What is missing or too many among a nomination's recorded attachments; empty when complete. */
export function attachmentSetIssues(
  campaign: Campaign,
  category: CategoryId,
  attachments: readonly { kind: AttachmentKind }[],
): FieldIssue[] {
  const counts = requiredCounts(campaign, category);
  return ATTACHMENT_KINDS.flatMap((kind): FieldIssue[] => {
    const [min, max] = counts[kind];
    const have = attachments.filter((a) => a.kind === kind).length;
    const label = ATTACHMENT_RULES[kind].label;
    const wanted =
      min === max ? { zh: `${min} 份`, en: `${min}` } : { zh: `${min}—${max} 份`, en: `${min}–${max}` };
    if (have < min) {
      return [
        {
          path: ['attachments', kind],
          code: 'too_few',
          message: {
            zh: `${label.zh}须 ${wanted.zh}，现有 ${have} 份`,
            en: `${label.en}: ${wanted.en} needed, ${have} uploaded`,
          },
        },
      ];
    }
    if (have > max) {
      return [
        {
          path: ['attachments', kind],
          code: 'too_many',
          message: {
            zh: `${label.zh}最多 ${max} 份，现有 ${have} 份`,
            en: `${label.en}: at most ${max}, ${have} uploaded`,
          },
        },
      ];
    }
    return [];
  });
}

export function assertAttachmentsComplete(
  campaign: Campaign,
  category: CategoryId,
  attachments: readonly { kind: AttachmentKind }[],
): void {
  const issues = attachmentSetIssues(campaign, category, attachments);
  if (issues.length > 0) throw new IncompleteAttachmentsError(issues);
}
