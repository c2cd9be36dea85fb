import * as z from 'zod';
import { sha256Of } from '../documents/checksum.js';
import type { NominationStore } from '../ports/nominations.js';
import type { Clock } from '../ports/system.js';
import type { UploadPolicy, UploadStorage } from '../ports/uploads.js';
import { type Actor, assertInScope, requireRole } from '../rules/access.js';
import {
  ATTACHMENT_KINDS,
  ATTACHMENT_RULES,
  type AttachmentKind,
  contentMatchesDeclared,
  declaredTypeMismatch,
  keptExtension,
  requiredCounts,
  sizeLimits,
  UPLOAD_TYPES,
} from '../rules/attachments.js';
import { builtOnFirstUse } from '../rules/built-on-first-use.js';
import type { Campaign } from '../rules/campaign.js';
import { DomainError } from '../rules/errors.js';
import { type AttachmentRecord, type Nomination, notFound, staleVersion } from '../rules/nomination.js';
import type { NominationStatus } from '../rules/nomination-status.js';
import { freeText } from '../rules/text.js';
import { parseInput } from '../rules/validation.js';
import { getNomination, type NominationDeps } from './nominations.js';

export interface UploadDeps extends NominationDeps {
  uploads: UploadStorage;
  inspect(kind: AttachmentKind, bytes: Uint8Array): Promise<{ mime: string; ext: string }>;
  ids: NominationDeps['ids'] & { attachmentId(): string };
}

/**
 * A presigned POST stays usable for 5 minutes: long enough for a 3 MB photo at 100 kbit/s, and
 * short, because S3 accepts the same form any number of times until it expires (each post a
 * new version of the key; what was recorded stays pinned to its own version).
 */
export const UPLOAD_WINDOW_SECONDS = 5 * 60;

const kindSchema = builtOnFirstUse(() =>
  z.enum(ATTACHMENT_KINDS).meta({ title: '附件类型', 'x-title-en': 'Attachment kind' }),
);

export const uploadRequestSchema = builtOnFirstUse(() =>
  z.strictObject({
    kind: kindSchema(),
    contentType: z
      .enum(Object.keys(UPLOAD_TYPES) as [string, ...string[]])
      .meta({ title: '文件类型', 'x-title-en': 'Content type' }),
    fileName: freeText({ max: 200, min: 1 }).meta({ title: '文件名', 'x-title-en': 'File name' }),
  }),
);

export const recordAttachmentSchema = builtOnFirstUse(() =>
  z.strictObject({
    attachmentId: z
      .string()
      .regex(/^a-[0-9a-z]{8,40}$/)
      .meta({ title: '附件编号', 'x-title-en': 'Attachment id' }),
    kind: kindSchema(),
    fileName: uploadRequestSchema().shape.fileName,
    version: z.int().min(1).meta({ title: '版本', 'x-title-en': 'Version' }),
  }),
);

/** Only the file's last path segment, without control characters: it is shown, never used as a path. */
export function displayFileName(name: string): string {
  const last = name.split(/[\\/]/).pop() ?? '';
  return (
    last
      .replace(/\p{Cc}/gu, '')
      .trim()
      .slice(0, 120) || 'file'
  );
}

const keyFor = (nominationId: string, kind: AttachmentKind, attachmentId: string, ext: string) =>
  `nominations/${nominationId}/${kind}/${attachmentId}.${ext}`;

/** The statuses in which a nomination takes and gives up files. */
const EDITABLE_STATUSES = ['draft', 'returned'] as const satisfies readonly NominationStatus[];

function assertEditable(nomination: Nomination): void {
  if (!(EDITABLE_STATUSES as readonly NominationStatus[]).includes(nomination.status)) {
    throw new DomainError({
      code: 'NOT_EDITABLE',
      kind: 'conflict',
      path: ['status'],
      message: { zh: '已提交的推荐不能更换附件', en: 'A submitted nomination cannot change its attachments' },
    });
  }
}

export const OVERWRITE_IGNORED = 'attachment:overwrite-ignored';

type WithFiles = Pick<Nomination, 'id' | 'attachments' | 'endorsement'>;

/**
 * Every file recorded on a nomination: its unit's attachments and, on the copy a society forwarded
 * to CAST, the society's own stamped scan beside them.
 */
export function recordedFiles(nomination: Omit<WithFiles, 'id'>): AttachmentRecord[] {
  const societyScan = nomination.endorsement?.scan;
  return societyScan ? [...nomination.attachments, societyScan] : [...nomination.attachments];
}

/**
 * The bytes of a recorded file: the version that was inspected, checked against the SHA-256
 * taken then. A version that is gone or differs is refused: nothing else is ever served instead.
 */
export async function readRecorded(
  uploads: UploadStorage,
  attachment: AttachmentRecord,
): Promise<Uint8Array> {
  const bytes = await uploads.readVersion({ key: attachment.key, versionId: attachment.versionId });
  if (!bytes || sha256Of(bytes) !== attachment.sha256) {
    throw new DomainError({
      code: 'ATTACHMENT_CHANGED',
      kind: 'conflict',
      path: ['attachments', attachment.kind],
      message: {
        zh: `附件“${attachment.fileName}”与登记时检查的文件不一致，已停止使用，请联系秘书处`,
        en: `The file "${attachment.fileName}" is not the one inspected when it was recorded; it is not used — contact the secretariat`,
      },
    });
  }
  return bytes;
}

/**
 * A post to the bucket after a file was recorded (the presigned form is still valid, or was
 * kept) makes a newer version of its key. Nobody is ever served it — every read names the
 * recorded version — and it is written to the nomination's audit trail, once per overwrite
 * seen. The event names the overwriting version: S3 stamps Last-Modified to the second, so two
 * overwrites of one key within a second share a time but never a version; a replay (the same
 * version seen again) is the same event.
 */
export async function auditOverwrites(
  deps: { uploads: UploadStorage; store: Pick<NominationStore, 'appendAudit'> },
  nomination: WithFiles,
): Promise<void> {
  await Promise.all(
    recordedFiles(nomination).map(async (a) => {
      const current = await deps.uploads.currentVersion(a.key);
      if (!current || current.versionId === a.versionId) return;
      await deps.store.appendAudit({
        nominationId: nomination.id,
        at: current.lastModified.toISOString(),
        actor: {
          role: 'system',
          subjectId: `attachment:${a.id}:version:${current.versionId}`,
          name: 'Laurel',
        },
        action: OVERWRITE_IGNORED,
        reason: `${ATTACHMENT_RULES[a.kind].label.zh}“${a.fileName}”在登记后被再次上传；只使用登记时检查过的版本 / The ${ATTACHMENT_RULES[a.kind].label.en} "${a.fileName}" was uploaded again after it was recorded; only the inspected version is used`,
      });
    }),
  );
}

/**
 * Download links for a nomination's files, valid for 15 minutes, for whoever may read the
 * nomination: each to the version recorded, served as the type inspected, as a download.
 */
export async function downloadLinks(
  deps: { uploads: UploadStorage; store: Pick<NominationStore, 'appendAudit'>; clock?: Clock },
  nomination: WithFiles,
): Promise<Record<string, string>> {
  await auditOverwrites(deps, nomination);
  const entries = await Promise.all(
    recordedFiles(nomination).map(
      async (a) =>
        [
          a.id,
          await deps.uploads.presignGet({ key: a.key, versionId: a.versionId }, a.fileName, a.mime),
        ] as const,
    ),
  );
  return Object.fromEntries(entries);
}

export async function requestUpload(
  deps: Omit<UploadDeps, 'inspect'>,
  actor: Actor,
  id: string,
  input: unknown,
): Promise<UploadPolicy> {
  const request = parseInput(uploadRequestSchema(), input, { zh: '上传请求', en: 'upload request' });
  const nomination = await getNomination(deps, actor, id);
  requireRole(actor, ['unit']);
  assertEditable(nomination);
  assertContentType(request.kind, request.contentType);
  const campaign = deps.campaigns.get(nomination.campaignId);
  if (!campaign) throw new Error(`campaign ${nomination.campaignId} missing`);
  const [, max] = requiredCounts(campaign, nomination.category)[request.kind];
  if (nomination.attachments.filter((a) => a.kind === request.kind).length >= max) {
    const rule = ATTACHMENT_RULES[request.kind];
    throw new DomainError({
      code: 'TOO_MANY_ATTACHMENTS',
      kind: 'rule',
      path: ['kind'],
      message: {
        zh: `${rule.label.zh}最多 ${max} 份，请先删除一份`,
        en: `At most ${max} ${rule.label.en}(s); remove one first`,
      },
    });
  }
  return presignAttachment(deps, campaign, nomination.id, request.kind, request.contentType);
}

/** A declared content type the kind does not take is refused before anything is signed. */
export function assertContentType(kind: AttachmentKind, contentType: string): void {
  const rule = ATTACHMENT_RULES[kind];
  const content = UPLOAD_TYPES[contentType]?.content;
  if (content && rule.mimeTypes.includes(content)) return;
  throw new DomainError({
    code: 'ATTACHMENT_TYPE_MISMATCH',
    kind: 'rule',
    path: ['contentType'],
    message: {
      zh: `${rule.label.zh}应为${rule.accepted.zh}`,
      en: `The ${rule.label.en} must be ${rule.accepted.en}`,
    },
  });
}

/**
 * A presigned POST for one file of `kind` among the nomination's objects, bounded by the
 * campaign's sizes for that kind (the policy, not the browser, enforces them).
 */
export async function presignAttachment(
  deps: Pick<UploadDeps, 'uploads' | 'ids' | 'clock'>,
  campaign: Campaign,
  nominationId: string,
  kind: AttachmentKind,
  contentType: string,
): Promise<UploadPolicy> {
  const { minBytes, maxBytes } = sizeLimits(campaign, kind);
  const attachmentId = deps.ids.attachmentId();
  const key = keyFor(nominationId, kind, attachmentId, UPLOAD_TYPES[contentType]?.ext ?? 'bin');
  const signed = await deps.uploads.presignPost({
    key,
    contentType,
    minBytes,
    maxBytes,
    expiresSeconds: UPLOAD_WINDOW_SECONDS,
  });
  const expiresAt = new Date(deps.clock.now().getTime() + UPLOAD_WINDOW_SECONDS * 1000).toISOString();
  return { ...signed, key, attachmentId, minBytes, maxBytes, expiresAt };
}

/** What the page needs of a file just recorded: its record, and the nomination's version now. */
export interface RecordedAttachment {
  attachment: AttachmentRecord;
  version: number;
}

/** Who may record a file on a nomination: its own unit (the route's scope, checked by the write). */
const RECORD_ACCESS = { roles: ['unit'], scope: 'nomination' } as const;

/**
 * Records an uploaded file after reading it back: a file that is not what its kind needs
 * (wrong type, corrupt, unreadable) is deleted and refused with the reason. The nomination is not
 * read first: the record is written on conditions that stand for the checks (`appendAttachment`:
 * the unit's own draft, at the version the page holds, without this record), and only a refusal
 * reads it, to answer as the checks would — the same file posted again answers as the first time.
 */
export async function recordAttachment(
  deps: UploadDeps,
  actor: Actor,
  id: string,
  input: unknown,
): Promise<RecordedAttachment> {
  let request: z.infer<ReturnType<typeof recordAttachmentSchema>>;
  try {
    request = parseInput(recordAttachmentSchema(), input, { zh: '登记附件', en: 'attachment record' });
  } catch (refused) {
    // Whose nomination it is comes first, as when the route's check read it before the body.
    await owned(deps, actor, id);
    throw refused;
  }
  const inspection = await inspectionOf(deps, id, request);
  if ('refused' in inspection) {
    // Nothing is deleted or explained before the nomination says the unit may record on it.
    const nomination = await recordable(deps, actor, id);
    const existing = nomination.attachments.find((a) => a.id === request.attachmentId);
    if (existing) return { attachment: existing, version: nomination.version };
    if (inspection.key) await deps.uploads.remove(inspection.key);
    throw inspection.refused;
  }
  return recordInspected(deps, actor, id, inspection.record, request.version);
}

/**
 * An inspected file's record written on the unit's nomination at the version its page holds, by
 * the one conditional write; a refusal read to say why — or, when the store could not add it by
 * that write (an item of an older shape, a returned nomination), to record it as every change is
 * written. The benchmark's seeded records are written by this too.
 */
export async function recordInspected(
  deps: Pick<UploadDeps, 'store'>,
  actor: Actor,
  id: string,
  record: AttachmentRecord,
  version: number,
): Promise<RecordedAttachment> {
  const written = await deps.store.appendAttachment({
    nominationId: id,
    record,
    expectedVersion: version,
    owner: { campaignId: actor.campaignId, unitId: actor.subjectId },
    statuses: EDITABLE_STATUSES,
  });
  if (written) return { attachment: record, version: version + 1 };
  const nomination = await recordable(deps, actor, id);
  const existing = nomination.attachments.find((a) => a.id === record.id);
  if (existing) return { attachment: existing, version: nomination.version };
  if (nomination.version !== version) throw staleVersion(id);
  const next = await addRecord(deps.store, nomination, record, version);
  return { attachment: record, version: next.version };
}

/**
 * The nomination a file is recorded on, read to explain a refusal with the route's own answers,
 * in its order: no such nomination (404), not the unit's (403), no longer taking files (409).
 */
async function recordable(deps: Pick<UploadDeps, 'store'>, actor: Actor, id: string): Promise<Nomination> {
  const nomination = await owned(deps, actor, id);
  assertEditable(nomination);
  return nomination;
}

/** The nomination a file was just recorded on, for a caller that wants it whole (read after the write). */
export const recordedNomination = (deps: Pick<UploadDeps, 'store'>, actor: Actor, id: string) =>
  owned(deps, actor, id);

/** The nomination, when it is there (404) and the unit's own (403): the route's scope, read. */
async function owned(deps: Pick<UploadDeps, 'store'>, actor: Actor, id: string): Promise<Nomination> {
  const nomination = await deps.store.get(id);
  if (!nomination) throw notFound({ zh: '推荐', en: 'nomination' }, id);
  assertInScope(actor, RECORD_ACCESS, nomination);
  return nomination;
}

/**
 * The record of an inspected file added to the nomination as read, written on the condition that
 * the stored version is still `expectedVersion` (else a VERSION_CONFLICT): the small item and
 * the files' part, written whole.
 */
export async function addRecord(
  store: Pick<NominationStore, 'save'>,
  nomination: Nomination,
  record: AttachmentRecord,
  expectedVersion: number,
): Promise<Nomination> {
  const next: Nomination = {
    ...nomination,
    attachments: [...nomination.attachments, record],
    version: nomination.version + 1,
    updatedAt: record.uploadedAt,
  };
  await store.save(next, expectedVersion);
  return next;
}

/**
 * The record of a file the browser posted under the nomination's keys, read back and inspected:
 * pinned to the version read and its SHA-256. A file that is not what its kind needs (wrong
 * type, corrupt, unreadable) is deleted and refused with the reason.
 */
export async function inspectUploaded(
  deps: Pick<UploadDeps, 'uploads' | 'inspect' | 'clock'>,
  nominationId: string,
  request: { attachmentId: string; kind: AttachmentKind; fileName: string },
): Promise<AttachmentRecord> {
  const inspection = await inspectionOf(deps, nominationId, request);
  if ('record' in inspection) return inspection.record;
  if (inspection.key) await deps.uploads.remove(inspection.key);
  throw inspection.refused;
}

/**
 * The inspection of an uploaded file: its record, or why it is refused and the key of the object
 * refused (none when nothing was found), which the caller deletes once it may.
 */
async function inspectionOf(
  deps: Pick<UploadDeps, 'uploads' | 'inspect' | 'clock'>,
  nominationId: string,
  request: { attachmentId: string; kind: AttachmentKind; fileName: string },
): Promise<{ record: AttachmentRecord } | { refused: unknown; key?: string }> {
  const candidates = Object.values(UPLOAD_TYPES).map(({ ext }) =>
    keyFor(nominationId, request.kind, request.attachmentId, ext),
  );
  let found: Awaited<ReturnType<UploadStorage['read']>>;
  for (const candidate of candidates) {
    found = await deps.uploads.read(candidate);
    if (found) break;
  }
  if (!found) {
    return {
      refused: new DomainError({
        code: 'UPLOAD_NOT_FOUND',
        kind: 'not-found',
        path: ['attachmentId'],
        message: {
          zh: '未找到上传的文件，请重新上传',
          en: 'The uploaded file was not found; upload it again',
        },
      }),
    };
  }
  const { key, versionId, bytes } = found;
  let inspected: { mime: string; ext: string };
  try {
    inspected = await deps.inspect(request.kind, bytes);
    // The extension the upload declared is the name it is kept and forwarded under.
    const declaredExt = keptExtension(key, '');
    if (!contentMatchesDeclared(declaredExt, inspected.mime)) {
      throw declaredTypeMismatch(request.kind, declaredExt, inspected);
    }
  } catch (error) {
    return { refused: error, key };
  }
  return {
    record: {
      id: request.attachmentId,
      kind: request.kind,
      key,
      versionId,
      sha256: sha256Of(bytes),
      size: bytes.byteLength,
      mime: inspected.mime,
      fileName: displayFileName(request.fileName),
      uploadedAt: deps.clock.now().toISOString(),
    },
  };
}

export async function removeAttachment(
  deps: Omit<UploadDeps, 'inspect'>,
  actor: Actor,
  id: string,
  attachmentId: string,
  version: number,
): Promise<Nomination> {
  const nomination = await getNomination(deps, actor, id);
  requireRole(actor, ['unit']);
  assertEditable(nomination);
  const attachment = nomination.attachments.find((a) => a.id === attachmentId);
  if (!attachment) return nomination;
  const next: Nomination = {
    ...nomination,
    attachments: nomination.attachments.filter((a) => a.id !== attachmentId),
    version: nomination.version + 1,
    updatedAt: deps.clock.now().toISOString(),
  };
  await deps.store.save(next, version);
  await deps.uploads.remove(attachment.key);
  return next;
}
