import type { Actor } from '../rules/access.js';
import type { CategoryId } from '../rules/categories.js';
import type { DeadlineExtension } from '../rules/deadline.js';
import type { AttachmentRecord, Nomination } from '../rules/nomination.js';
import type { NominationStatus } from '../rules/nomination-status.js';
import type { ListedNomination } from '../rules/nomination-view.js';
import type { Page, PageRequest } from '../rules/paging.js';
import type { QuotaDecision, QuotaSlotChange } from '../rules/quota.js';
import type { AwaitingExperts } from '../rules/review.js';
import type { ReviewedNomination } from '../rules/scoring.js';

/**
 * What a recommending unit does with its nominations: create a draft, save the form and see
 * at once what is wrong and which criteria it meets, declare, submit, withdraw. Each use case
 * takes its dependencies and the acting person; the handlers only translate HTTP.
 */

export interface AuditEvent {
  nominationId: string;
  at: string;
  actor: { role: Actor['role'] | 'system'; subjectId: string; name: string };
  action: string;
  reason?: string;
}

export type { QuotaSlotChange };

/**
 * What claiming notices found, each event in one list: see NominationStore.claimNotices. When
 * `held` names any, `claimed` is empty, and the claims stopped there may leave events out.
 */
export interface NoticeClaims {
  claimed: AuditEvent[];
  recorded: AuditEvent[];
  held: AuditEvent[];
}

/** What became of a notice that was claimed: see NominationStore.settleNotices. */
export type NoticeOutcome =
  | { sent: true }
  | { refused: AuditEvent }
  /** The claim let go, named by when it was made: only the caller's own claim is removed. */
  | { released: { claimedAt: string } };

/** A claimed notice and what became of it. */
export interface NoticeSettlement {
  event: AuditEvent;
  outcome: NoticeOutcome;
}

/** What a list of the campaign's nominations is narrowed to; without a status, every status but draft. */
export interface NominationFilter {
  status?: NominationStatus;
  category?: CategoryId;
  unit?: string;
  /** The start of the nominee's name, compared as `nameSearchKey` folds names (width, case, spaces, 繁/简). */
  q?: string;
  /** With `unit` and no status: its drafts too (the unit's own list; the secretariat never lists drafts). */
  drafts?: boolean;
}

/**
 * Nominations of a campaign counted per status (`submitted`), per status and category
 * (`submitted#volunteer`), per category ever submitted and per day of submission
 * (`CampaignCounts`, functions/rules/overview.ts): an aggregate the store keeps with every create
 * and change, so no count needs the nominations read.
 */
export type StatusCounts = Record<string, number>;

/**
 * What the public lists publish of a nomination, read without its form but for the deeds field
 * (rules/retention.ts, PUBLISHED_FORM_FIELDS): the name is the one lists show.
 */
export interface PublishedSource {
  id: string;
  category: CategoryId;
  unitName: string;
  name: string;
  deeds: string;
}

/** The name of a list in its cursors: a cursor of one list never reads another (rules/paging.ts). */
export const listName = (campaignId: string, filter: NominationFilter) =>
  `nominations#${campaignId}#${filter.status ?? ''}#${filter.category ?? ''}#${filter.unit ?? ''}#${filter.q ?? ''}${filter.drafts ? '#drafts' : ''}`;

/**
 * `changeStatuses` takes no change of a quota slot (its ledger's condition is per change): every
 * store refuses one alike, so a caller that passes one fails in the tests as it would in AWS.
 */
export function refuseQuotaChanges(changes: readonly Pick<StatusChange, 'quota'>[]): void {
  if (changes.some((c) => c.quota))
    throw new Error('a change of a quota slot is written by changeStatus, its ledger conditioned on its own');
}

/** A status change as `NominationStore.changeStatus` writes it. */
export interface StatusChange {
  nomination: Nomination;
  expectedVersion: number;
  quota?: QuotaSlotChange;
  audit?: AuditEvent;
  quotaRefusal?: QuotaDecision;
  rankingEntry?: ReviewedNomination;
}

/** An inspected file's record, added to a nomination as `NominationStore.appendAttachment` writes it. */
export interface AttachmentAppend {
  nominationId: string;
  record: AttachmentRecord;
  /** The version the unit's page holds: the write raises it by one, or is refused. */
  expectedVersion: number;
  /** Whose nomination it must be: the acting unit's, in its campaign. */
  owner: { campaignId: string; unitId: string };
  /** The statuses in which a nomination takes files. */
  statuses: readonly NominationStatus[];
}

export interface NominationStore {
  create(nomination: Nomination, audit: AuditEvent): Promise<void>;
  get(id: string): Promise<Nomination | undefined>;
  /** The nomination's campaign and recommending unit, for a route's access check (a small read). */
  scope(id: string): Promise<{ campaignId: string; unitId: string } | undefined>;
  /**
   * The category and status of each of the unit's nominations (drafts too), and nothing else: a
   * projected query of the unit's index, to count what its quota rule counts when no ledger is kept.
   */
  unitFigures(campaignId: string, unitId: string): Promise<Pick<Nomination, 'category' | 'status'>[]>;
  listByStatus(campaignId: string, status: NominationStatus): Promise<Nomination[]>;
  /**
   * One page of the campaign's nominations as lists show them, in the index's order (status, then
   * category, then last change); a query on an index, never a scan. A bad cursor is a 400.
   */
  page(campaignId: string, filter: NominationFilter, request: PageRequest): Promise<Page<ListedNomination>>;
  /**
   * One page of what the public lists publish of the campaign's nominations in that status, in the
   * status index's order: the small items projected, and of each form kept apart its deeds field
   * alone (one batch read a page) — memory holds a page, never a nomination whole. A bad cursor is a 400.
   */
  publishedPage(
    campaignId: string,
    status: NominationStatus,
    request: PageRequest,
  ): Promise<Page<PublishedSource>>;
  /** The ids of the campaign's nominations in that status: the index's keys only, however many. */
  idsWithStatus(campaignId: string, status: NominationStatus): Promise<string[]>;
  /** The campaign's counts per status and per status and category (see StatusCounts). */
  counts(campaignId: string): Promise<StatusCounts>;
  /**
   * Stores the task token of the human step the nomination now waits in and raises its version,
   * reading nothing first: answers the step as stored and, when the status it met answers the
   * step (the person decided first), that status; undefined when there is no such nomination. A
   * change made on the version before fails its condition (a VERSION_CONFLICT: read again), so no
   * decision is written past the new token.
   * `ifScoreKept`: stored only by the one write that takes a nomination neither scored without its
   * score (its task aggregates first) nor in any case the store handles otherwise (a status that
   * answers the step, an item stored before its parts were apart, none at all): then nothing is
   * written and 'refused' answered, and the caller reads the nomination and arms it again without.
   */
  storeAwaiting(
    id: string,
    awaiting: NonNullable<Nomination['awaiting']>,
    only?: { ifScoreKept: true },
  ): Promise<
    (Pick<Nomination, 'id' | 'awaiting'> & { status?: Nomination['status'] }) | 'refused' | undefined
  >;
  /**
   * Adds a file's record to a nomination without reading it first: one write, whose conditions
   * stand for the checks a read would make — the nomination is there, is `owner`'s, is at
   * `expectedVersion` (raised by one), is in one of `statuses`, and holds no record of that id
   * (the same record posted again is never added twice). True when written; false when a
   * condition refused it and nothing was written: the caller reads the nomination to say why. A
   * store may also refuse what its one write cannot do right (an item in an older shape, a status
   * whose index place moves with the change): the caller then writes it as every change is
   * written (`save`), the nomination read.
   */
  appendAttachment(append: AttachmentAppend): Promise<boolean>;
  /** Writes the new state if the stored version is still `expectedVersion`; else a VERSION_CONFLICT. */
  save(nomination: Nomination, expectedVersion: number, audit?: AuditEvent): Promise<void>;
  /**
   * A status change, the quota slot it takes or frees, and its audit event, in one
   * transaction: either all happen or none. Refuses with QUOTA_EXCEEDED when the ledger is full.
   * `rankingEntry`: what the stored ranking reads of the nomination, as stored (`rankingEntryOf`,
   * as ReviewStore.putRankingEntry keeps it), written on its ranking row in the same transaction —
   * its reviews complete.
   */
  changeStatus(change: StatusChange): Promise<void>;
  /**
   * Nominations by id, each whole (its parts too), by a few batch reads however many: a campaign
   * job's chunk reads its nominations so, not one request each. One not stored is not in the answer.
   */
  getMany(ids: readonly string[]): Promise<Map<string, Nomination>>;
  /**
   * Many status changes (a campaign job's chunk), each as `changeStatus` writes it, in few
   * transactions: each holds many nominations, the campaign's counts once with their sum. A
   * transaction writes all of its changes or none. A change whose stored version moved on (a
   * person changed the nomination meanwhile) or whose audit event is there already is not
   * written, nor are the others of its transaction held back by it: they are written without it.
   * Answers the ids of the changes not written so, for the caller to move one by one after reading
   * them again. A change that takes or frees a quota slot is not for this (its ledger's condition
   * is per change): `changeStatus` writes it.
   */
  changeStatuses(changes: readonly StatusChange[]): Promise<{ stale: string[] }>;
  /**
   * The campaign's nominations in review still waiting for their first experts, in id order, at
   * most `limit` (one query page): what the conflict checks read of each, a few hundred bytes. The
   * store notes a nomination here when it enters review and forgets it when it leaves review or
   * `expertsTaken` says its experts are assigned — so reading the round costs one request however
   * large the campaign.
   */
  awaitingExperts(campaignId: string, limit: number): Promise<AwaitingExperts[]>;
  /** The nomination's first experts are assigned: it no longer waits in the round (idempotent). */
  expertsTaken(campaignId: string, nominationId: string): Promise<void>;
  auditTrail(id: string): Promise<AuditEvent[]>;
  /** An event that changes no state (a review recorded, a notice sent); false when it was recorded before. */
  appendAudit(event: AuditEvent): Promise<boolean>;
  /**
   * Claims the notices `events` will record, before they are sent, with conditional writes on
   * each event's own key (a campaign job's chunk in one request): an event is `claimed` when this
   * caller may send it now — nothing is recorded under its key and no claim holds it, or the claim
   * it finds was made before `staleBefore` (its holder is gone); `recorded` when its notice was
   * settled (sent or refused); `held` when another sender's live claim holds it. All or nothing:
   * when any is held, this call leaves none of its claims standing (`claimed` is empty), so two
   * senders never each hold a part. An event given twice is claimed once. A claim is not part of
   * the audit trail until `settleNotices` says sent.
   */
  claimNotices(events: readonly AuditEvent[], claimedAt: string, staleBefore: string): Promise<NoticeClaims>;
  /**
   * What became of claimed notices: `sent` records the event in the trail; `refused` records the
   * refusal event given under the notice's key instead (the key stays taken: nobody sends it
   * again); `released` removes the caller's own claim (made at its `claimedAt`), so a retry claims
   * it at once — unless another sender took the claim over meanwhile (it was stale): its live claim
   * or its record stays.
   */
  settleNotices(settled: readonly NoticeSettlement[]): Promise<void>;
  extensionFor(campaignId: string, unitId: string): Promise<DeadlineExtension | undefined>;
  /** The unit's quota ledger: slots used per ledger key (a category, or 'all-categories'). */
  quotaLedger(campaignId: string, unitId: string): Promise<Record<string, number>>;
}
