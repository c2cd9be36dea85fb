import { fileTypeFromBuffer } from 'file-type';
import {
  ATTACHMENT_RULES,
  type AttachmentKind,
  checkAttachmentSize,
  typeMismatch,
} from '../rules/attachments.js';
import type { Campaign } from '../rules/campaign.js';

/** The detected type of a file, or undefined when its bytes match no known format. */
export async function sniffType(bytes: Uint8Array): Promise<{ mime: string; ext: string } | undefined> {
  const detected = await fileTypeFromBuffer(bytes);
  return detected ? { mime: detected.mime, ext: detected.ext } : undefined;
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
