import { chinaDateAt } from './calendar.js';
import type { CategoryId } from './categories.js';
import { DomainError } from './errors.js';
import type { Nomination } from './nomination.js';
import { excerpt } from './text.js';

/**
 * Retention and deletion (PIPL art. 19). A round keeps its nominees' personal information for
 * `privacy.retentionDays` after its release; then the deletion job erases it all but what the final
 * list publishes (the name, category, unit and the summary of the deeds of each released
 * nomination) and the anonymised scores. These rules say when, and what each stored record keeps;
 * functions/use-cases/erasure.ts applies them. The same erasure serves one person's deletion on
 * request before retention ends.
 */

const DAY_MS = 86_400_000;

/** The instant from which a released round's personal information is due for deletion. */
export const erasureDueAt = (releasedAt: string, retentionDays: number): Date =>
  new Date(Date.parse(releasedAt) + retentionDays * DAY_MS);

/** A round's release (if any) and its retention period, as the due date needs them. */
export interface RoundRetention {
  releasedAt: string | undefined;
  retentionDays: number;
}

/**
 * When a round's personal information is due for deletion; undefined while nothing is released.
 * A round's period runs from its own release. A round that forwards (a society's, whose
 * nominations end forwarded, never released) runs from the release of the round it forwards to,
 * and is never due before that round is: the forwarded copies (`<id>-p`) point at its files, so a
 * shorter period of its own would delete files the other round still keeps. The later instant wins.
 */
export function roundErasureDueAt(round: RoundRetention, forwardsTo?: RoundRetention): Date | undefined {
  if (!forwardsTo) return round.releasedAt ? erasureDueAt(round.releasedAt, round.retentionDays) : undefined;
  if (!forwardsTo.releasedAt) return undefined;
  const own = erasureDueAt(round.releasedAt ?? forwardsTo.releasedAt, round.retentionDays);
  const parent = erasureDueAt(forwardsTo.releasedAt, forwardsTo.retentionDays);
  return new Date(Math.max(own.getTime(), parent.getTime()));
}

/** Whether the round's retention is over: a due date, and it has come. */
export const retentionOver = (due: Date | undefined, now: Date): due is Date =>
  due !== undefined && now >= due;

/** The refusal of a deletion asked for before the round's retention is over (409), naming the date. */
export function retentionNotOver(due: Date | undefined): DomainError {
  if (!due) {
    return new DomainError({
      code: 'RETENTION_NOT_OVER',
      kind: 'conflict',
      message: {
        zh: '本轮尚未正式发布：保存期限自发布之日起计算，期满后才能删除',
        en: 'The round is not released yet: the retention period runs from the release, and deletion comes after it',
      },
    });
  }
  // The date as officers read it: China's calendar day.
  const day = chinaDateAt(due);
  return new DomainError({
    code: 'RETENTION_NOT_OVER',
    kind: 'conflict',
    message: {
      zh: `个人信息保存期限尚未届满：${day} 起方可删除`,
      en: `The retention period is not over: deletion from ${day}`,
    },
    details: { due: due.toISOString() },
  });
}

/**
 * The form fields the final list reads, per category: the name as lists show it and the deeds
 * its summary is cut from (functions/use-cases/campaign-steps.ts, `publicEntry`).
 */
export const PUBLISHED_FORM_FIELDS: { readonly [C in CategoryId]: { name: string; deeds: string } } = {
  volunteer: { name: 'name', deeds: 'mainDeeds' },
  organization: { name: 'organizationName', deeds: 'mainDeeds' },
  project: { name: 'projectName', deeds: 'overview' },
  site: { name: 'site', deeds: 'mainDeeds' },
};

/** The length of the summary the final list shows of the deeds. */
export const PUBLISHED_SUMMARY_LENGTH = 200;

/** What is kept of a form once erased: on the final list, the name and the published summary; otherwise nothing. */
export function publishedFormOf(
  n: Pick<Nomination, 'category' | 'status' | 'form'>,
): Record<string, unknown> {
  if (n.status !== 'released') return {};
  const fields = PUBLISHED_FORM_FIELDS[n.category];
  const deeds = n.form[fields.deeds];
  return {
    ...(fields.name in n.form ? { [fields.name]: n.form[fields.name] } : {}),
    // The summary as published, not the deeds: the list shows no more than this.
    ...(typeof deeds === 'string' ? { [fields.deeds]: excerpt(deeds, PUBLISHED_SUMMARY_LENGTH) } : {}),
  };
}

/** What the deletion recorded on the nomination: when, by whom (a role or the schedule), how much. */
export interface ErasureRecord {
  at: string;
  /** 'retention' for the deletion job after the period; 'request' for one person's deletion on request. */
  cause: 'retention' | 'request';
  by: { role: string; subjectId: string };
  /** Object versions and delete markers removed from the uploads bucket. */
  fileVersions: number;
  /** Other stored records rewritten or removed (audit events, reads, reviews, objections, links). */
  records: number;
}

/**
 * The nomination as kept after the erasure: its ids, category, unit (an organisation), status,
 * dates, anonymised score and rank, and only the form fields the final list publishes. Gone: every
 * other form field, the files, the consent record's signer, the unit's address, reasons, eligibility
 * notes, the waiting task token, the society's opinion and its signer.
 */
export function erasedNomination(n: Nomination, record: ErasureRecord): Nomination {
  const kept: Nomination = {
    id: n.id,
    campaignId: n.campaignId,
    unitId: n.unitId,
    unitType: n.unitType,
    unitName: n.unitName,
    category: n.category,
    status: n.status,
    version: n.version + 1,
    form: publishedFormOf(n),
    attachments: [],
    noClassifiedContent: n.noClassifiedContent,
    createdAt: n.createdAt,
    updatedAt: record.at,
    erasure: record,
    ...(n.submittedAt ? { submittedAt: n.submittedAt } : {}),
    ...(n.campaignVersion ? { campaignVersion: n.campaignVersion } : {}),
    ...(n.grassroots !== undefined ? { grassroots: n.grassroots } : {}),
    ...(n.grassrootsConfirmed !== undefined ? { grassrootsConfirmed: n.grassrootsConfirmed } : {}),
    ...(n.score ? { score: n.score } : {}),
    ...(n.selection
      ? {
          selection: { rank: n.selection.rank, selected: n.selection.selected, message: n.selection.message },
        }
      : {}),
    ...(n.forwardedAs ? { forwardedAs: n.forwardedAs } : {}),
    // A deletion on request: when, and the status it undid (no personal data) — links and pages read it.
    ...(n.deletedOnRequest ? { deletedOnRequest: n.deletedOnRequest } : {}),
    ...(n.forwardedFrom
      ? {
          forwardedFrom: {
            campaignId: n.forwardedFrom.campaignId,
            nominationId: n.forwardedFrom.nominationId,
            unitName: n.forwardedFrom.unitName,
          },
        }
      : {}),
  };
  return kept;
}

/** The kinds of stored record, besides the nomination itself, that can hold someone's personal information. */
export type PersonalRecordKind =
  | 'audit'
  | 'read'
  | 'review'
  | 'ranking'
  | 'objection'
  | 'review-link'
  | 'awaiting-experts';

/** What the erasure does to one stored record: keep it as `data` (rewritten when changed), or remove it. */
export type ErasedRecord = { keep: Record<string, unknown> } | 'remove';

const withoutKeys = (data: Record<string, unknown>, keys: readonly string[]) =>
  Object.fromEntries(Object.entries(data).filter(([key]) => !keys.includes(key)));

/** A person as kept in an anonymised record: the role and its id, no name. */
const anonymousPerson = (person: unknown) => {
  const { role, subjectId } = (person ?? {}) as { role?: string; subjectId?: string };
  return { role: role ?? '', subjectId: subjectId ?? '', name: '' };
};

/**
 * What each kind of record keeps. Each rule gives the same answer when applied again, so a job run
 * again after a crash rewrites nothing differently.
 * - audit events: who by role and id, what, when — no name, no reason (reasons quote the form);
 * - reads: who by role and id, what, when — no name;
 * - review assignments: the expert's id and the scores, recommendation and total — no name, no
 *   comment, no declaration note, no link;
 * - the stored ranking's row: the scores, no comments;
 * - objections: the decision and its date — not who objected, their contact, reason or note;
 * - review links: kept as they are (which assignment each opens, nothing personal);
 * - the waiting-for-experts entry: removed.
 */
export function erasedRecord(kind: PersonalRecordKind, data: Record<string, unknown>): ErasedRecord {
  switch (kind) {
    case 'audit':
      return { keep: { ...withoutKeys(data, ['reason']), actor: anonymousPerson(data.actor) } };
    case 'read':
      return { keep: { ...data, reader: anonymousPerson(data.reader) } };
    case 'review': {
      const kept = withoutKeys(data, ['expertName', 'linkHash', 'linkExpiresAt', 'declaration', 'withdrawn']);
      const review = data.review as Record<string, unknown> | undefined;
      const declaration = data.declaration as { at?: string; conflict?: unknown } | undefined;
      const withdrawn = data.withdrawn as { at?: string; reason?: unknown } | undefined;
      return {
        keep: {
          ...kept,
          expertName: '',
          ...(declaration
            ? { declaration: { at: declaration.at, conflict: declaration.conflict ?? null } }
            : {}),
          ...(withdrawn ? { withdrawn: { at: withdrawn.at, reason: withdrawn.reason, note: '' } } : {}),
          ...(review ? { review: withoutKeys(review, ['comment']) } : {}),
        },
      };
    }
    case 'ranking': {
      const reviews = (data.reviews as Record<string, unknown>[] | undefined) ?? [];
      return { keep: { ...data, reviews: reviews.map((r) => withoutKeys(r, ['comment'])) } };
    }
    case 'objection': {
      const resolution = data.resolution as { decision?: unknown; at?: unknown } | undefined;
      return {
        keep: {
          ...withoutKeys(data, ['resolution', 'nominee']),
          name: '',
          contact: '',
          reason: '',
          ...(resolution
            ? { resolution: { decision: resolution.decision, note: '', at: resolution.at, by: '' } }
            : {}),
        },
      };
    }
    // A link's item says only which assignment it opens (a nomination id and an expert id): kept,
    // so an expert's old link answers that the materials were deleted (410), not "not valid".
    case 'review-link':
      return { keep: data };
    case 'awaiting-experts':
      return 'remove';
  }
}

/** The uploads-bucket prefixes that hold one nomination's files (and its exported copies). */
export const filePrefixesOf = (n: Pick<Nomination, 'id' | 'campaignId'>): string[] => [
  `nominations/${n.id}/`,
  `packages/${n.campaignId}/personal-data/${n.id}-`,
];

/** The prefix of a round's forwarding packages (each holds Word forms and scans), erased with the round. */
export const packagePrefixOf = (campaignId: string) => `packages/${campaignId}/`;
