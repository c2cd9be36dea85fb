import { type Campaign, categoryOf, MEBIBYTE } from './campaign.js';
import type { CategoryId } from './categories.js';
import { AttachmentRejectedError, type FieldIssue, IncompleteAttachmentsError } from './errors.js';
import type { Bilingual } from './i18n.js';

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
    mimeTypes: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    accepted: { zh: 'Word 文档（.docx）', en: 'a Word document (.docx)' },
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

/** The refusal of a file whose content is not what its kind needs, naming what it is. */
export function typeMismatch(
  kind: AttachmentKind,
  detected: { mime: string; ext: string } | undefined,
): AttachmentRejectedError {
  const rule = ATTACHMENT_RULES[kind];
  const found = detected ? `${detected.ext.toUpperCase()}（${detected.mime}）` : null;
  return new AttachmentRejectedError(
    'ATTACHMENT_TYPE_MISMATCH',
    [kind],
    {
      zh: `${rule.label.zh}应为${rule.accepted.zh}，但文件内容是${found ?? '无法识别的格式'}`,
      en: `The ${rule.label.en} must be ${rule.accepted.en}, but the file's content is ${found ?? 'of an unknown format'}`,
    },
    { kind, expected: rule.mimeTypes, detected: detected?.mime ?? null },
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
            en: `${wanted.en} ${label.en}(s) needed, ${have} uploaded`,
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
            en: `at most ${max} ${label.en}(s), ${have} uploaded`,
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
