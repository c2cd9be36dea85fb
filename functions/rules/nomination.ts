import * as z from 'zod';
import type { Actor } from './access.js';
import type { AttachmentKind } from './attachments.js';
import { builtOnFirstUse } from './built-on-first-use.js';
import type { CategoryId } from './categories.js';
import type { ConsentRecord } from './consent.js';
import type { DeclarationRecord } from './declarations.js';
import type { SelectionRecord } from './discretion.js';
import type { CriterionResult } from './eligibility.js';
import { DomainError } from './errors.js';
import type { Bilingual } from './i18n.js';
import type { NominationStatus } from './nomination-status.js';
import type { ErasureRecord } from './retention.js';
import type { Awaiting } from './steps.js';
import { quoteShort } from './validation.js';

/**
 * A nomination: one recommending unit's candidate in one category of one campaign, from its
 * first draft to its release. Every change of status goes through `transition`, which knows
 * the allowed moves and who may make them; the store applies it with a version check.
 */

export interface AttachmentRecord {
  id: string;
  kind: AttachmentKind;
  /** Object key in the uploads bucket: nominations/<id>/<kind>/<attachment id>.<ext>. */
  key: string;
  /**
   * The version of the object that was read and inspected when the file was recorded, and its
   * SHA-256 (base64): every later read takes this version and checks this checksum.
   */
  versionId: string;
  sha256: string;
  size: number;
  mime: string;
  /** The name the person's file had, for display only (never used as a path). */
  fileName: string;
  uploadedAt: string;
}

export interface Nomination {
  id: string;
  campaignId: string;
  unitId: string;
  unitType: string;
  unitName: string;
  /** Where the unit is told of returns and of the release. */
  unitEmail?: string;
  category: CategoryId;
  status: NominationStatus;
  /** Optimistic concurrency: every write names the version it read. */
  version: number;
  /** The form as last saved; complete and valid only from submission on. */
  form: Record<string, unknown>;
  attachments: AttachmentRecord[];
  /** The unit declares its upload holds no classified material (涉密材料). */
  noClassifiedContent: boolean;
  /**
   * The unit's confirmation, at the last (re)submission, that the nominee was informed under the
   * campaign's privacy notice and consented: who, when, which version of the notice.
   */
  consent?: ConsentRecord;
  /** The unit's declarations at its last (re)submission: who, when, which version, which texts. */
  declarations?: DeclarationRecord;
  /**
   * The unit declares the nominee comes from the grassroots and the front line (立足基层一线, as
   * CAST's notice asks); the secretariat confirms it or not when it passes the screening, and only
   * the confirmed mark shows on the ranking and may break a tie there.
   */
  grassroots?: boolean;
  grassrootsConfirmed?: boolean;
  eligibility?: CriterionResult[];
  createdAt: string;
  updatedAt: string;
  submittedAt?: string;
  /**
   * The version of the round's definition the nomination was first submitted under
   * (functions/ports/campaign-catalog.ts): a later correction of the round may extend its
   * deadline but never change a submitted category's form (rules/round-correction.ts), so the
   * form is checked and shown as it was at this version.
   */
  campaignVersion?: number;
  /** Reasons given by the secretariat with the last return or rejection. */
  reasons?: string;
  /** After a return: the instant the correction window ends (resubmission accepted strictly before). */
  correctionUntil?: string;
  /** The human step the execution waits in, with its task token (never shown to people). */
  awaiting?: Awaiting;
  /** The experts' verdict, once all reviews are in. */
  score?: { meanTotal: number; expertTotals: number[]; recommendations: number; lowestTotal: number };
  /** Rank and reason given at selection. */
  selection?: SelectionRecord;
  /** In a round that forwards: the nomination it became in the parent round. */
  forwardedAs?: { campaignId: string; nominationId: string };
  /**
   * The secretariat deleted the nominee's data at their request (PIPL art. 47): when, and the
   * status it was in — what the deletion undoes. Set as the nomination leaves the campaign, before
   * its data is erased; the record stays so the quota, the audit trail and the links know.
   */
  deletedOnRequest?: DeletionRequest;
  /**
   * In the parent round, for a nomination a society forwarded: where it came from and the member
   * unit that first nominated it, with its address, which the release notice greets. The copy's
   * own `unitEmail` is the society's: returns and reminders go to the recommending unit.
   */
  forwardedFrom?: { campaignId: string; nominationId: string; unitName: string; unitEmail?: string };
  /**
   * In the parent round, for a nomination a society forwarded: the society's own opinion
   * (推荐意见) as the recommending unit, printed on the Word form it stamps; who wrote it and when;
   * and the scan of that form with the society's stamp, once uploaded. A new opinion drops the
   * scan: the stamped page no longer shows what the society says.
   */
  endorsement?: {
    opinion: string;
    by: { subjectId: string; name: string };
    at: string;
    scan?: AttachmentRecord;
  };
  /**
   * Set once its personal information was erased (after the round's retention, or on request):
   * when, by whom, how much. Only what the final list publishes is left of the form.
   */
  erasure?: ErasureRecord;
}

export interface DeletionRequest {
  at: string;
  statusBefore: NominationStatus;
}

export const nominationIdSchema = builtOnFirstUse(() => z.string().regex(/^n-[0-9a-z]{10,40}$/));

export type NominationAction =
  | 'submit'
  | 'withdraw'
  | 'pass'
  | 'return'
  | 'reject'
  | 'resubmit'
  | 'scored'
  | 'select'
  | 'not-select'
  | 'forward'
  | 'open-publicity'
  | 'uphold-objection'
  | 'release';

interface Move {
  from: readonly NominationStatus[];
  to: NominationStatus;
  by: readonly Actor['role'][] | 'system';
  label: Bilingual;
}

/** Every allowed move. Anything else is a conflict (409): the nomination is not where the action needs it. */
export const MOVES: Readonly<Record<NominationAction, Move>> = {
  submit: { from: ['draft'], to: 'submitted', by: ['unit'], label: { zh: '提交', en: 'submit' } },
  // A returned nomination may be withdrawn too: the unit may give up rather than correct it, which
  // frees its quota slot and ends the execution waiting for the resubmission.
  withdraw: {
    from: ['draft', 'submitted', 'returned'],
    to: 'withdrawn',
    by: ['unit'],
    label: { zh: '撤回', en: 'withdraw' },
  },
  pass: {
    from: ['submitted'],
    to: 'in-review',
    by: ['secretariat'],
    label: { zh: '初核通过', en: 'pass screening' },
  },
  return: {
    from: ['submitted'],
    to: 'returned',
    by: ['secretariat'],
    label: { zh: '退回修改', en: 'return for correction' },
  },
  reject: {
    from: ['submitted'],
    to: 'rejected',
    by: ['secretariat'],
    label: { zh: '不予通过', en: 'reject' },
  },
  resubmit: { from: ['returned'], to: 'submitted', by: ['unit'], label: { zh: '重新提交', en: 'resubmit' } },
  scored: {
    from: ['in-review'],
    to: 'scored',
    by: 'system',
    label: { zh: '评审完成', en: 'reviews complete' },
  },
  select: { from: ['scored'], to: 'selected', by: ['secretariat'], label: { zh: '择优入选', en: 'select' } },
  'not-select': {
    from: ['scored'],
    to: 'not-selected',
    by: ['secretariat'],
    label: { zh: '未入选', en: 'not select' },
  },
  forward: { from: ['selected'], to: 'forwarded', by: 'system', label: { zh: '推荐上报', en: 'forward' } },
  'open-publicity': {
    from: ['forwarded'],
    to: 'in-publicity',
    by: ['secretariat'],
    label: { zh: '公示', en: 'open publicity' },
  },
  'uphold-objection': {
    from: ['in-publicity'],
    to: 'withdrawn-after-objection',
    by: ['secretariat'],
    label: { zh: '异议成立', en: 'uphold objection' },
  },
  release: {
    from: ['in-publicity'],
    to: 'released',
    by: ['secretariat'],
    label: { zh: '正式发布', en: 'release' },
  },
};

const STATUS_NAMES: Record<NominationStatus, Bilingual> = {
  draft: { zh: '草稿', en: 'draft' },
  submitted: { zh: '已提交，待初核', en: 'submitted, awaiting screening' },
  returned: { zh: '已退回修改', en: 'returned for correction' },
  rejected: { zh: '未通过初核', en: 'rejected' },
  'in-review': { zh: '专家评审中', en: 'in expert review' },
  scored: { zh: '评审完成', en: 'reviewed' },
  selected: { zh: '择优入选', en: 'selected' },
  'not-selected': { zh: '未入选', en: 'not selected' },
  forwarded: { zh: '已推荐上报', en: 'forwarded' },
  'in-publicity': { zh: '公示中', en: 'in publicity' },
  released: { zh: '已正式发布', en: 'released' },
  withdrawn: { zh: '已撤回', en: 'withdrawn' },
  'withdrawn-after-objection': { zh: '因异议成立撤销', en: 'withdrawn after an upheld objection' },
};

export const statusName = (status: NominationStatus): Bilingual => STATUS_NAMES[status];

/** The status after `action`, or a 409 (wrong status) / 403 (wrong role) explaining why not. */
export function transition(
  nomination: Pick<Nomination, 'status'>,
  action: NominationAction,
  actor: Actor | 'system',
): NominationStatus {
  const move = MOVES[action];
  // A system move (scoring, forwarding) is the pipeline's alone: no person may make it, whatever
  // their role; a person's move is refused to the system as to any other role not listed.
  const allowed =
    move.by === 'system' ? actor === 'system' : actor !== 'system' && move.by.includes(actor.role);
  if (!allowed) {
    throw new DomainError({
      code: 'FORBIDDEN',
      kind: 'forbidden',
      message:
        move.by === 'system'
          ? {
              zh: `“${move.label.zh}”由系统自动完成，不能手动操作`,
              en: `“${move.label.en}” is done by Laurel itself, not by hand`,
            }
          : { zh: `无权${move.label.zh}`, en: `You may not ${move.label.en} this nomination` },
    });
  }
  if (!move.from.includes(nomination.status)) {
    const now = STATUS_NAMES[nomination.status];
    throw new DomainError({
      code: 'WRONG_STATUS',
      kind: 'conflict',
      path: ['status'],
      message: {
        zh: `推荐当前状态为“${now.zh}”，不能${move.label.zh}`,
        en: `The nomination is ${now.en}; it cannot ${move.label.en} now`,
      },
      details: { status: nomination.status, action },
    });
  }
  return move.to;
}

/**
 * Units see only their own nominations; experts only assigned ones; the secretariat all of its
 * campaign. Operations see executions, never a nomination's personal data.
 */
export function assertCanRead(
  actor: Actor,
  nomination: Pick<Nomination, 'campaignId' | 'unitId'>,
  assigned = false,
): void {
  const sameCampaign = actor.campaignId === nomination.campaignId;
  const allowed =
    sameCampaign &&
    ((actor.role === 'unit' && actor.subjectId === nomination.unitId) ||
      (actor.role === 'expert' && assigned) ||
      actor.role === 'secretariat');
  if (!allowed) {
    throw new DomainError({
      code: 'FORBIDDEN',
      kind: 'forbidden',
      message: { zh: '无权查看此推荐', en: 'You may not see this nomination' },
    });
  }
}

/** No such thing; the id is quoted back shortened, so a huge id is never echoed whole. */
export function notFound(what: Bilingual, id: string): DomainError {
  const quoted = quoteShort(id);
  return new DomainError({
    code: 'NOT_FOUND',
    kind: 'not-found',
    message: { zh: `${what.zh}“${quoted}”不存在`, en: `No ${what.en} "${quoted}"` },
  });
}

export function staleVersion(id: string): DomainError {
  return new DomainError({
    code: 'VERSION_CONFLICT',
    kind: 'conflict',
    message: {
      zh: '该推荐已被他人或另一窗口修改，请刷新后重试',
      en: 'This nomination was changed elsewhere meanwhile; reload and try again',
    },
    details: { nominationId: id },
  });
}

/**
 * The reason the secretariat gives to pass a nomination that exactly matches a past honouree:
 * its length, for the screening schema and the screening page alike.
 */
export const PAST_HONOUREE_OVERRIDE_LENGTH = { min: 5, max: 500 } as const;
