import type { CategoryId } from '../rules/categories.js';
import type { Nomination } from '../rules/nomination.js';
import type { NominationStatus } from '../rules/nomination-status.js';
import type { AccessRecord } from '../rules/personal-information.js';
import type { RankingShown } from '../rules/ranking-lines.js';
import type { Assignment, ConflictDismissal, Expert } from '../rules/review.js';
import type { ReviewedNomination } from '../rules/scoring.js';
import type { AuditEvent, StatusChange } from './nominations.js';

/**
 * A row of the stored ranking: the entry AggregateScores wrote, the status its nomination has
 * now and what a ranking page shows of it (the nomination store keeps both on the row with every
 * change past screening); `undefined` for a row written before rows carried them.
 */
export interface RankingRow {
  entry: ReviewedNomination;
  status: NominationStatus | undefined;
  shown?: RankingShown;
}

/** What recording a review answers (`ReviewStore.recordReview`). */
export type ReviewRecorded = boolean | 'other-closed' | 'closing-stale';

/** What a nomination's new assignments are written with, all in the same step. */
export interface WrittenWithAssignments {
  /** The event that records the choice (a random draw and its seed). */
  audit?: AuditEvent;
  /**
   * The nomination's first experts: it leaves the round's planning window (the nomination store's
   * `expertsTaken`) as they are made, so no run cut short between the two leaves it there.
   */
  firstExperts?: boolean;
}

/** What a review link opens (`opened`). */
export interface OpenedByLink {
  assignment: Assignment;
  nomination: Nomination | undefined;
  /**
   * Every assignment of the nomination as the same read found it: the last review sees from them
   * that it completes the nomination, and an expert's page its peers' totals, without another read.
   */
  assignments: Assignment[];
}

/** Where experts and assignments are kept (functions/adapters/review-store.ts). */
export interface ReviewStore {
  /** Adds or replaces an expert of the campaign's pool (their load is counted, not stored). */
  putExpert(expert: Omit<Expert, 'load'>): Promise<void>;
  listExperts(campaignId: string): Promise<Expert[]>;
  /**
   * The pool with its loads (`listExperts`) and the campaign's dismissed conflicts
   * (`conflictDismissals`), read together: what choosing a nomination's experts reads of the
   * campaign, in one request.
   */
  expertsAndDismissals(campaignId: string): Promise<{ experts: Expert[]; dismissals: ConflictDismissal[] }>;
  assignments(nominationId: string): Promise<Assignment[]>;
  /**
   * The nomination and its assignments, read fresh and together (one request): what assigning its
   * experts starts from. The nomination is undefined when there is none.
   */
  withAssignments(
    nominationId: string,
  ): Promise<{ nomination: Nomination | undefined; assignments: Assignment[] }>;
  /** Every assignment of one expert in the campaign (an index query). */
  assignmentsOfExpert(campaignId: string, expertId: string): Promise<Assignment[]>;
  /**
   * Creates the assignments and counts each on its expert's load, all or none: false when one
   * exists, or when an expert in `ceilings` already holds that many (the cap reached, or other
   * nominations took the expert meanwhile past what the choice tolerates: it is made again).
   * An assignment made with its link (`linkHash`, `linkExpiresAt`) is attached to it as
   * `attachLink` attaches one, and `also` is written in the same step: one write for what took
   * one per expert and two more.
   */
  createAssignments(
    campaignId: string,
    assignments: readonly Assignment[],
    ceilings?: ReadonlyMap<string, number>,
    also?: WrittenWithAssignments,
  ): Promise<boolean>;
  attachLink(
    nominationId: string,
    expertId: string,
    linkHash: string,
    linkExpiresAt: string,
  ): Promise<boolean>;
  /**
   * Frees the assignment for a new link while the old one keeps opening it: its mail may have gone
   * out before the run that sent it was cut short, and an expert must never hold a dead link.
   */
  supersedeLink(nominationId: string, expertId: string, linkHash: string): Promise<void>;
  /**
   * Notes that the mails with these links went out, in one write. A link no longer attached was
   * superseded by a later run, which mails its own and notes it: nothing to note here (its mail
   * went out, and the link keeps opening the review), so it is passed over, not an error.
   */
  markLinksMailed(
    nominationId: string,
    links: readonly { expertId: string; linkHash: string }[],
    at: string,
  ): Promise<void>;
  byLink(linkHash: string): Promise<Assignment | undefined>;
  /**
   * What a review link opens: its assignment and the nomination, with every assignment of the
   * nomination (the link's among them), all read fresh and together (one request once the link is
   * known, or when `nominationId` — the one its token names — holds the assignment the link is
   * attached to); undefined when the link opens no assignment.
   */
  opened(linkHash: string, nominationId?: string): Promise<OpenedByLink | undefined>;
  /**
   * Records the expert's declaration once, with `audit` (the event that records it) and `read`
   * (the expert's read of the materials a declaration of no conflict answers with) in the same
   * write: false when declared before or withdrawn (then neither is written).
   */
  recordDeclaration(
    nominationId: string,
    expertId: string,
    declaration: NonNullable<Assignment['declaration']>,
    audit?: AuditEvent,
    read?: AccessRecord,
  ): Promise<boolean>;
  /** Notes the due day, reminders sent, overdue; false when the assignment was reviewed or withdrawn. */
  updateReviewTimer(
    nominationId: string,
    expertId: string,
    patch: Pick<Assignment, 'dueDay' | 'remindersSent' | 'overdueAt'>,
  ): Promise<boolean>;
  /**
   * Gives an open review more days: sets the days added to its due date, clears its overdue mark
   * and the reminders sent (they count to the new date); false when reviewed or withdrawn.
   */
  extendReview(nominationId: string, expertId: string, extraDays: number): Promise<boolean>;
  /** Records the secretariat's dismissal of an automatic conflict once: false when recorded before. */
  dismissConflict(campaignId: string, dismissal: ConflictDismissal): Promise<boolean>;
  /** The campaign's dismissed automatic conflicts (one query), or one nomination's, by nomination and expert. */
  conflictDismissals(campaignId: string, nominationId?: string): Promise<ConflictDismissal[]>;
  /**
   * Ends an assignment without a review and takes it off the expert's load, at once: false when
   * it was reviewed or withdrawn before.
   */
  withdrawAssignment(
    campaignId: string,
    nominationId: string,
    expertId: string,
    withdrawn: NonNullable<Assignment['withdrawn']>,
  ): Promise<boolean>;
  /** Notes that the withdrawn expert was mailed about it (`withdrawn.mailedAt`), so a repeat does not mail again. */
  withdrawalMailed(nominationId: string, expertId: string, at: string): Promise<void>;
  /**
   * Records the review once, with `audit` in the same write; false when decided or withdrawn.
   * With `otherOpen` (another expert of the nomination), the write holds only while that expert's
   * assignment is still open — neither reviewed nor withdrawn: 'other-closed' when it is not, and
   * nothing is written. A review stored so is not the nomination's last, with no read after it.
   * With `closing` (the last review's: the nomination scored), the status change is written in
   * the same step: 'closing-stale' when the nomination's version moved on, and nothing is written.
   */
  recordReview(
    nominationId: string,
    expertId: string,
    review: NonNullable<Assignment['review']>,
    audit?: AuditEvent,
    otherOpen?: string,
    closing?: StatusChange,
  ): Promise<ReviewRecorded>;
  /**
   * The stored ranking: what the ranking rule reads of one nomination (its reviews' scores and
   * recommendations, its exclusion — `rankingEntryOf`, no review comments), written when its
   * reviews are complete (AggregateScores), replacing an earlier one.
   */
  putRankingEntry(campaignId: string, entry: ReviewedNomination): Promise<void>;
  /**
   * The ranking rows of the campaign (or of one category), by category and nomination: a query of
   * its partition reading only the entries and statuses (a few hundred bytes a nomination, never
   * the forms) — one request for a category of a few thousand.
   */
  rankingEntries(campaignId: string, category?: CategoryId): Promise<RankingRow[]>;
}
