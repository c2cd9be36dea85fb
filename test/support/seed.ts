import type { AttachmentRecord, Nomination } from '../../functions/domain/nomination.js';

/**
 * Attachment records as the server keeps them after a checked upload: the Word form, the stamped
 * scan and `photos` photos. For tests about what comes after uploading (uploads have tests of their own).
 */
export function attachmentRecords(n: Pick<Nomination, 'id' | 'createdAt'>, photos = 2): AttachmentRecord[] {
  const kinds = ['word', 'scan', ...Array<'photo'>(photos).fill('photo')] as const;
  const extension = { word: 'docx', scan: 'pdf', photo: 'jpg' } as const;
  return kinds.map((kind, k) => ({
    id: `a-${n.id.slice(2, 14)}${k}`,
    kind,
    key: `nominations/${n.id}/${kind}/${k}.${extension[kind]}`,
    size: 1_100_000,
    mime: 'application/octet-stream',
    fileName: `${kind}-${k}.${extension[kind]}`,
    uploadedAt: n.createdAt,
  }));
}
