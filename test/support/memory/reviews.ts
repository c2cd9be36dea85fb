import type { AuditEvent, StatusChange } from '../../../functions/ports/nominations.js';
import type { ReviewStore } from '../../../functions/ports/reviews.js';
import type { Nomination } from '../../../functions/rules/nomination.js';
import type { NominationStatus } from '../../../functions/rules/nomination-status.js';
import type { AccessRecord } from '../../../functions/rules/personal-information.js';
import type { RankingShown } from '../../../functions/rules/ranking-lines.js';
import type { Assignment, ConflictDismissal, Expert } from '../../../functions/rules/review.js';
import { type ReviewedNomination, rankingEntryOf } from '../../../functions/rules/scoring.js';
import { copy } from './aws-errors.js';

/**
 * The review store of functions/adapters/review-store.ts, in memory:
 *   - `putExpert` registers an expert (again) and keeps their load;
 *   - `createAssignments` creates all or none (false when any exists, or when an expert in `ceilings`
 *     holds that many already) and counts each on its expert's load.
 *     An assignment made with its link attaches it (none made when the link is taken); the audit
 *     event and the nomination's leaving the planning window (`also`) are written with them;
 *   - `attachLink` once per assignment (false when it has a link, or the link is taken), and
 *     `supersedeLink` frees the assignment for a new one while the old keeps opening it;
 *     `markLinksMailed` notes the links still attached and passes over any other (superseded);
 *   - `recordReview` once (false when decided, withdrawn, or no such assignment), and with
 *     `otherOpen` only while that assignment is open too ('other-closed' when not), with
 *     `closing` together with that status change ('closing-stale' when its version moved on);
 *   - `recordDeclaration` once (false when declared or withdrawn); `withdrawAssignment` once, never
 *     after a review, and takes one off the expert's load in the same step;
 *   - ranking entries replace the nomination's earlier one and list by category and nomination id,
 *     each with the status and what is shown the nomination store keeps on its row (`rankingRows`, shared);
 *   - lists in the table's order: experts by id, a nomination's assignments by expert id, an
 *     expert's by nomination id;
 *   - `stayBusy(n)`: the next n transactions (`createAssignments`, `attachLink`) fail as the
 *     adapter fails once DynamoDB kept cancelling them with TransactionConflict past its own
 *     retries (functions/adapters/transactions.ts): `Laurel.StoreBusy`, nothing written.
 */

/** campaign → `<category>#<nomination>` → the ranking entry (the ranking row's `data`). */
export type RankingEntries = Map<string, Map<string, ReviewedNomination>>;
export const rankingEntries = (): RankingEntries => new Map();

/** The entry on the nomination's ranking row, replacing an earlier one, as the adapters write it. */
export function putEntry(ranking: RankingEntries, campaignId: string, entry: ReviewedNomination): void {
  const entries = ranking.get(campaignId) ?? new Map<string, ReviewedNomination>();
  entries.set(`${entry.category}#${entry.nominationId}`, copy(rankingEntryOf(entry)));
  ranking.set(campaignId, entries);
}

export interface MemoryReviewStore extends ReviewStore {
  putExpert(expert: Omit<Expert, 'load'>): Promise<void>;
  stayBusy(transactions: number): void;
}

const assignmentKey = (nominationId: string, expertId: string) => `${nominationId}#${expertId}`;
const byKey =
  <T>(key: (t: T) => string) =>
  (a: T, b: T) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;

export function memoryReviewStore(
  shared: {
    rankingRows?: Map<string, { status: NominationStatus; shown?: RankingShown }>;
    /** The ranking's entries, shared with the nomination store (a status change may carry one). */
    rankingEntries?: RankingEntries;
    /** The nomination store's, for the audit event a declaration or review is recorded with. */
    appendAudit?: (event: AuditEvent) => Promise<boolean>;
    /** The nomination store's, for a nomination's first experts leaving the planning window with them. */
    expertsTaken?: (campaignId: string, nominationId: string) => Promise<void>;
    /** The nomination store's, for the nomination a link opens with its assignment (`opened`). */
    getNomination?: (id: string) => Promise<Nomination | undefined>;
    /** The access log's, for the read a declaration of no conflict is recorded with. */
    recordRead?: (read: AccessRecord) => Promise<void>;
    /** The nomination store's, for the last review's status change written with it. */
    changeStatus?: (change: StatusChange) => Promise<void>;
  } = {},
): MemoryReviewStore {
  /** The event written with a change, as the adapter's transaction does: before it, so a failure writes neither. */
  const audited = async (audit: AuditEvent | undefined) => {
    if (audit && shared.appendAudit) await shared.appendAudit(audit);
  };
  const rankingRows =
    shared.rankingRows ?? new Map<string, { status: NominationStatus; shown?: RankingShown }>();
  /** campaign#expert → the expert. */
  const experts = new Map<string, Expert>();
  /** nomination#expert → the assignment, with the campaign it was made in (for the expert index). */
  const assignments = new Map<string, { campaignId: string; assignment: Assignment }>();
  /** link hash → the assignment it opens. */
  const links = new Map<string, { nominationId: string; expertId: string }>();

  /** A nomination's assignments, in the order of their keys (as the table's partition holds them). */
  const assignmentsOf = (nominationId: string) =>
    [...assignments.values()]
      .map((a) => a.assignment)
      .filter((a) => a.nominationId === nominationId)
      .sort(byKey((a) => a.expertId))
      .map(copy);

  /** campaign#nomination#expert → the secretariat's dismissal of an automatic conflict. */
  const dismissals = new Map<string, ConflictDismissal>();
  const ranking = shared.rankingEntries ?? rankingEntries();

  let busy = 0;
  /** The campaign's experts by id. */
  const poolOf = (campaignId: string) =>
    [...experts.values()]
      .filter((e) => e.campaignId === campaignId)
      .sort(byKey((e) => e.id))
      .map(copy);
  /** The dismissals whose key (campaign#nomination#expert) begins with `prefix`, by key. */
  const dismissedUnder = (prefix: string) =>
    [...dismissals.entries()]
      .filter(([key]) => key.startsWith(prefix))
      .sort(byKey(([key]) => key))
      .map(([, d]) => copy(d));
  const transaction = () => {
    if (busy === 0) return;
    busy -= 1;
    throw Object.assign(
      new Error('The table stayed busy: the transaction kept conflicting with other writes'),
      {
        name: 'Laurel.StoreBusy',
      },
    );
  };

  return {
    stayBusy(transactions) {
      busy = transactions;
    },

    async putRankingEntry(campaignId, entry) {
      putEntry(ranking, campaignId, entry);
    },

    async rankingEntries(campaignId, category) {
      return [...(ranking.get(campaignId) ?? new Map<string, ReviewedNomination>()).entries()]
        .filter(([key]) => !category || key.startsWith(`${category}#`))
        .sort(byKey(([key]) => key))
        .map(([key, entry]) => {
          const row = rankingRows.get(`${campaignId}#${key}`);
          return {
            entry: copy(entry),
            status: row?.status,
            ...(row?.shown ? { shown: copy(row.shown) } : {}),
          };
        });
    },

    async putExpert(expert) {
      const key = `${expert.campaignId}#${expert.id}`;
      const load = experts.get(key)?.load ?? 0;
      const { affiliation, ...rest } = expert;
      experts.set(key, { ...copy(rest), ...(affiliation ? { affiliation } : {}), load });
    },

    async listExperts(campaignId) {
      return poolOf(campaignId);
    },

    async expertsAndDismissals(campaignId) {
      return { experts: poolOf(campaignId), dismissals: dismissedUnder(`${campaignId}#`) };
    },

    async assignments(nominationId) {
      return assignmentsOf(nominationId);
    },

    async withAssignments(nominationId) {
      return {
        nomination: await shared.getNomination?.(nominationId),
        assignments: assignmentsOf(nominationId),
      };
    },

    async assignmentsOfExpert(campaignId, expertId) {
      return [...assignments.values()]
        .filter((a) => a.campaignId === campaignId && a.assignment.expertId === expertId)
        .map((a) => a.assignment)
        .sort(byKey((a) => a.nominationId))
        .map(copy);
    },

    async createAssignments(campaignId, list, ceilings, also = {}) {
      if (list.length === 0) throw new Error('ValidationException: a transaction needs at least one item');
      transaction();
      if (list.some((a) => assignments.has(assignmentKey(a.nominationId, a.expertId)))) return false;
      const full = (a: Assignment) =>
        ceilings?.has(a.expertId) &&
        (experts.get(`${campaignId}#${a.expertId}`)?.load ?? 0) >= (ceilings.get(a.expertId) ?? 0);
      if (list.some(full)) return false;
      if (list.some((a) => a.linkHash && links.has(a.linkHash))) return false;
      // Checked and made with no await between, as one transaction: the event and the window after.
      for (const a of list) {
        assignments.set(assignmentKey(a.nominationId, a.expertId), { campaignId, assignment: copy(a) });
        if (a.linkHash) links.set(a.linkHash, { nominationId: a.nominationId, expertId: a.expertId });
        const expert = experts.get(`${campaignId}#${a.expertId}`);
        if (expert) expert.load += 1;
      }
      await audited(also.audit);
      const [first] = list;
      if (also.firstExperts && first) await shared.expertsTaken?.(campaignId, first.nominationId);
      return true;
    },

    async attachLink(nominationId, expertId, linkHash, linkExpiresAt) {
      transaction();
      const stored = assignments.get(assignmentKey(nominationId, expertId));
      if (!stored || stored.assignment.linkHash || links.has(linkHash)) return false;
      stored.assignment.linkHash = linkHash;
      stored.assignment.linkExpiresAt = linkExpiresAt;
      links.set(linkHash, { nominationId, expertId });
      return true;
    },

    async supersedeLink(nominationId, expertId, linkHash) {
      const stored = assignments.get(assignmentKey(nominationId, expertId));
      if (stored?.assignment.linkHash !== linkHash || stored.assignment.linkMailedAt) return;
      delete stored.assignment.linkHash;
      delete stored.assignment.linkExpiresAt;
    },

    async markLinksMailed(nominationId, list, at) {
      const attached = (link: { expertId: string; linkHash: string }) =>
        assignments.get(assignmentKey(nominationId, link.expertId))?.assignment.linkHash === link.linkHash;
      for (const link of list.filter(attached)) {
        const stored = assignments.get(assignmentKey(nominationId, link.expertId));
        if (stored) stored.assignment.linkMailedAt = at;
      }
    },

    async byLink(linkHash) {
      const link = links.get(linkHash);
      const stored = link ? assignments.get(assignmentKey(link.nominationId, link.expertId)) : undefined;
      return stored ? copy(stored.assignment) : undefined;
    },

    async opened(linkHash) {
      const link = links.get(linkHash);
      const stored = link ? assignments.get(assignmentKey(link.nominationId, link.expertId)) : undefined;
      if (!link || !stored) return undefined;
      return {
        assignment: copy(stored.assignment),
        nomination: await shared.getNomination?.(link.nominationId),
        assignments: assignmentsOf(link.nominationId),
      };
    },

    async recordDeclaration(nominationId, expertId, declaration, audit, read) {
      const stored = assignments.get(assignmentKey(nominationId, expertId));
      if (!stored || stored.assignment.declaration || stored.assignment.withdrawn) return false;
      // Checked and set at once, as the table's conditional write is: of two at the same moment one takes.
      stored.assignment.declaration = copy(declaration);
      await audited(audit);
      if (read) await shared.recordRead?.(read);
      return true;
    },

    async updateReviewTimer(nominationId, expertId, patch) {
      const stored = assignments.get(assignmentKey(nominationId, expertId));
      if (!stored || stored.assignment.review || stored.assignment.withdrawn) return false;
      Object.assign(stored.assignment, copy(patch));
      return true;
    },

    async extendReview(nominationId, expertId, extraDays) {
      const stored = assignments.get(assignmentKey(nominationId, expertId));
      if (!stored || stored.assignment.review || stored.assignment.withdrawn) return false;
      stored.assignment.extraDays = extraDays;
      stored.assignment.remindersSent = [];
      delete stored.assignment.overdueAt;
      return true;
    },

    async dismissConflict(campaignId, dismissal) {
      const key = `${campaignId}#${assignmentKey(dismissal.nominationId, dismissal.expertId)}`;
      if (dismissals.has(key)) return false;
      dismissals.set(key, copy(dismissal));
      return true;
    },

    async conflictDismissals(campaignId, nominationId) {
      return dismissedUnder(`${campaignId}#${nominationId ? `${nominationId}#` : ''}`);
    },

    async withdrawAssignment(campaignId, nominationId, expertId, withdrawn) {
      const stored = assignments.get(assignmentKey(nominationId, expertId));
      if (!stored || stored.assignment.review || stored.assignment.withdrawn) return false;
      stored.assignment.withdrawn = copy(withdrawn);
      const expert = experts.get(`${campaignId}#${expertId}`);
      if (expert) expert.load -= 1;
      return true;
    },

    async withdrawalMailed(nominationId, expertId, at) {
      const withdrawn = assignments.get(assignmentKey(nominationId, expertId))?.assignment.withdrawn;
      if (withdrawn) withdrawn.mailedAt = at;
    },

    async recordReview(nominationId, expertId, review, audit, otherOpen, closing) {
      const stored = assignments.get(assignmentKey(nominationId, expertId));
      if (!stored || stored.assignment.review || stored.assignment.withdrawn) return false;
      if (otherOpen !== undefined) {
        const other = assignments.get(assignmentKey(nominationId, otherOpen))?.assignment;
        if (!other || other.review || other.withdrawn) return 'other-closed';
      }
      if (closing) {
        if (!shared.changeStatus) throw new Error('no nomination store to score the nomination in');
        try {
          await shared.changeStatus(closing);
        } catch (error) {
          if ((error as { code?: string }).code === 'VERSION_CONFLICT') return 'closing-stale';
          throw error;
        }
      }
      // Stored before the event is awaited, and taken back if the event fails: the checks and
      // the write are one step, as the adapter's transaction is, so two reviews at once never
      // both see the other open, and a failure writes neither. Not quite for the last review:
      // its status change above is a write of its own here, kept when the event then fails
      // (the adapter's one transaction writes neither) — no test fails the event after it.
      stored.assignment.review = copy(review);
      try {
        await audited(audit);
      } catch (error) {
        delete stored.assignment.review;
        throw error;
      }
      return true;
    },
  };
}
