import { strToU8, zipSync } from 'fflate';
import type { AccessLog } from '../ports/access-log.js';
import type { CampaignStore, Objection } from '../ports/campaigns.js';
import type { AuditEvent, NominationStore } from '../ports/nominations.js';
import type { ReviewStore } from '../ports/reviews.js';
import type { Clock } from '../ports/system.js';
import type { UploadStorage } from '../ports/uploads.js';
import { type Actor, requireRole } from '../rules/access.js';
import { keptExtension } from '../rules/attachments.js';
import { withoutReviewers } from '../rules/audit-view.js';
import { type AttachmentRecord, type Nomination, notFound } from '../rules/nomination.js';
import type { AccessRecord } from '../rules/personal-information.js';
import type { Assignment } from '../rules/review.js';
import { recordRead } from './personal-information.js';
import { readRecorded } from './uploads.js';

/**
 * A person's copy of their data (PIPL art. 45): everything stored about one nomination — the
 * form, its files (the recorded versions), its status and decisions, its reviews, objections,
 * history and the reads of it — as one ZIP, and nothing about anyone else: the experts, the
 * objectors, the unit's contact and the staff who acted appear by role only. The ZIP is written
 * under packages/ (removed by the bucket's lifecycle) and served by a 15-minute link.
 */

export interface ExportDeps {
  store: Pick<NominationStore, 'get' | 'auditTrail'>;
  reviews: Pick<ReviewStore, 'assignments'>;
  campaignStore: Pick<CampaignStore, 'objections'>;
  accessLog: AccessLog;
  uploads: UploadStorage;
  clock: Clock;
}

const fileNameOf = (a: AttachmentRecord, index: number) =>
  `files/${String(index + 1).padStart(2, '0')}-${a.kind}.${keptExtension(a.key, 'bin')}`;

/** The JSON of the export: the nomination's own data, other people's only by role. */
export function personalDataOf(
  n: Nomination,
  related: {
    audit: readonly AuditEvent[];
    assignments: readonly Assignment[];
    objections: readonly Objection[];
    reads: readonly AccessRecord[];
  },
  exportedAt: Date,
) {
  const { awaiting: _token, unitEmail: _unitContact, attachments, forwardedFrom, consent, ...nomination } = n;
  return {
    exportedAt: exportedAt.toISOString(),
    nomination: {
      ...nomination,
      // Who confirmed the nominee's consent, by role like everyone else in the export.
      ...(consent
        ? {
            consent: {
              noticeVersion: consent.noticeVersion,
              confirmedAt: consent.confirmedAt,
              by: consent.by.role,
            },
          }
        : {}),
      ...(forwardedFrom
        ? {
            forwardedFrom: { campaignId: forwardedFrom.campaignId, nominationId: forwardedFrom.nominationId },
          }
        : {}),
    },
    files: attachments.map((a, i) => ({
      file: fileNameOf(a, i),
      kind: a.kind,
      fileName: a.fileName,
      size: a.size,
      mime: a.mime,
      sha256: a.sha256,
      uploadedAt: a.uploadedAt,
    })),
    // The nominee is no secretariat: the review stage without the reviewers' names or reasons.
    history: related.audit.map(withoutReviewers).map((e) => ({
      at: e.at,
      action: e.action,
      by: e.actor.role,
      ...(e.reason ? { reason: e.reason } : {}),
    })),
    reviews: related.assignments
      .filter((a) => a.review)
      .map((a) => ({
        submittedAt: a.review?.submittedAt,
        total: a.review?.total,
        scores: a.review?.scores,
        recommend: a.review?.recommend,
        ...(a.review?.comment ? { comment: a.review.comment } : {}),
      })),
    objections: related.objections
      .filter((o) => o.nominationId === n.id)
      .map((o) => ({
        submittedAt: o.submittedAt,
        reason: o.reason,
        ...(o.resolution
          ? { resolution: { decision: o.resolution.decision, note: o.resolution.note, at: o.resolution.at } }
          : {}),
      })),
    reads: related.reads.map((r) => ({ at: r.at, by: r.reader.role, read: r.read })),
  };
}

export async function exportPersonalData(
  deps: ExportDeps,
  actor: Actor,
  nominationId: string,
): Promise<{ url: string; bytes: number; files: string[] }> {
  requireRole(actor, ['secretariat']);
  const n = await deps.store.get(nominationId);
  if (!n || n.campaignId !== actor.campaignId) throw notFound({ zh: '推荐', en: 'nomination' }, nominationId);
  const [audit, assignments, objections, reads] = await Promise.all([
    deps.store.auditTrail(n.id),
    deps.reviews.assignments(n.id),
    deps.campaignStore.objections(n.campaignId),
    deps.accessLog.reads(n.id),
  ]);
  const now = deps.clock.now();
  const data = personalDataOf(n, { audit, assignments, objections, reads }, now);
  const entries: Record<string, Uint8Array> = {
    'personal-data.json': strToU8(JSON.stringify(data, null, 2)),
  };
  for (const [i, a] of n.attachments.entries())
    entries[fileNameOf(a, i)] = await readRecorded(deps.uploads, a);
  const zip = zipSync(entries);
  const key = `packages/${n.campaignId}/personal-data/${n.id}-${now.toISOString().replace(/[:.]/g, '-')}.zip`;
  const written = await deps.uploads.put(key, zip, 'application/zip');
  await recordRead(deps, actor, n.id, ['form', 'files']);
  return {
    url: await deps.uploads.presignGet(written, `个人信息副本-${n.id}.zip`, 'application/zip'),
    bytes: zip.byteLength,
    files: Object.keys(entries),
  };
}
