import * as CFB from 'cfb';
import { fileTypeFromBuffer } from 'file-type';
import {
  ATTACHMENT_RULES,
  type AttachmentKind,
  checkAttachmentSize,
  typeMismatch,
  WORD_BINARY_MIME,
} from '../rules/attachments.js';
import type { Campaign } from '../rules/campaign.js';

/** The detected type of a file, or undefined when its bytes match no known format. */
export async function sniffType(bytes: Uint8Array): Promise<{ mime: string; ext: string } | undefined> {
  const detected = await fileTypeFromBuffer(bytes);
  if (!detected) return undefined;
  // file-type stops at "an OLE compound file": Word 97–2003 (.doc) and WPS Office (.wps) files
  // are such a file holding a WordDocument stream, as are Excel's .xls and PowerPoint's .ppt
  // without one. The directory says which.
  if (detected.mime === 'application/x-cfb') return compoundFileType(bytes);
  return { mime: detected.mime, ext: detected.ext };
}

/** The entries of an OLE compound file (path, stream or storage), or undefined when it does not parse. */
export function compoundFileEntries(bytes: Uint8Array): { path: string; size: number }[] | undefined {
  try {
    const container = CFB.parse(bytes as unknown as CFB.CFB$Blob);
    return container.FullPaths.map((path, i) => ({ path, size: container.FileIndex[i]?.size ?? 0 }));
  } catch {
    return undefined;
  }
}

function compoundFileType(bytes: Uint8Array): { mime: string; ext: string } {
  const entries = compoundFileEntries(bytes) ?? [];
  const wordDocument = entries.some((e) => /\/WordDocument$/.test(e.path) && e.size > 0);
  return wordDocument ? { mime: WORD_BINARY_MIME, ext: 'doc' } : { mime: 'application/x-cfb', ext: 'cfb' };
}

/**
 * Checks one uploaded file: its size against the campaign's bounds and its type by content.
 * `bytes` is the whole file (a Word file is recognised by the entries of its zip archive).
 * Returns the detected media type to record with the attachment.
 */
export async function checkAttachment(
  campaign: Campaign,
  kind: AttachmentKind,
  file: { bytes: Uint8Array; size?: number },
): Promise<{ mime: string; ext: string }> {
  checkAttachmentSize(campaign, kind, file.size ?? file.bytes.byteLength);
  const detected = await sniffType(file.bytes);
  if (!detected || !ATTACHMENT_RULES[kind].mimeTypes.includes(detected.mime))
    throw typeMismatch(kind, detected);
  return detected;
}
