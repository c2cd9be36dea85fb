import {
  type AuditEvent,
  listName,
  type NominationStore,
  type NoticeClaims,
  refuseQuotaChanges,
} from '../../../functions/ports/nominations.js';
import { CATEGORY_IDS } from '../../../functions/rules/categories.js';
import type { DeadlineExtension } from '../../../functions/rules/deadline.js';
import { QuotaExceededError } from '../../../functions/rules/errors.js';
import { type Nomination, staleVersion } from '../../../functions/rules/nomination.js';
import {
  NOMINATION_STATUSES,
  type NominationStatus,
  rankingRowFollows,
} from '../../../functions/rules/nomination-status.js';
import { listedNomination, nameSearchKey, searchPrefix } from '../../../functions/rules/nomination-view.js';
import { countsOf } from '../../../functions/rules/overview.js';
import { pageOf } from '../../../functions/rules/paging.js';
import { type RankingShown, rankingShownOf } from '../../../functions/rules/ranking-lines.js';
import { PUBLISHED_FORM_FIELDS } from '../../../functions/rules/retention.js';
import { type AwaitingExperts, awaitingExpertsOf } from '../../../functions/rules/review.js';
import { statusesAnswering } from '../../../functions/rules/steps.js';
import { copy, transactionCanceled } from './aws-errors.js';
import { putEntry, type RankingEntries, rankingEntries } from './reviews.js';

/**
 * The NominationStore of functions/adapters/nomination-store.ts, in memory. What the use cases
 * rely on behaves the same:
 *   - `save` and `changeStatus` write only while the stored version is the one expected, else a
 *     VERSION_CONFLICT (`staleVersion`), the refusal checked first as in the transaction;
 *   - `changeStatus` is all or nothing: the nomination, its quota slot and its audit event; a +1
 *     with a limit is refused with QUOTA_EXCEEDED (the caller's `quotaRefusal` message) once the
 *     ledger holds `limit`; a −1 may take the ledger below zero, as DynamoDB's ADD would;
 *   - audit events are keyed on (at, action, actor): the same key twice is the same event, so
 *     `appendAudit` answers false and a status change or a create carrying it is cancelled with
 *     DynamoDB's TransactionCanceledException, which the adapter lets through;
 *   - a notice is claimed under its audit key before it is sent: a claim is left out of the trail,
 *     refused while anything holds the key unless the claim found is older than `staleBefore`;
 *   - `create` refuses an id that exists with that TransactionCanceledException too;
 *   - lists come in the index's order (by category, updatedAt and id; a unit's by createdAt and id);
 *     pages go status by status in NOMINATION_STATUSES order, like the adapter's queries; their
 *     cursors are offsets (opaque to callers either way) and a foreign one is the same 400;
 *   - counts are worked out from the nominations, which is what the adapter's aggregate keeps;
 *   - a nomination waits for its first experts (`awaitingExperts`, in id order, one page of
 *     `limit`) from the status change into review until it leaves review or `expertsTaken`.
 * Everything stored or handed out is a deep copy.
 */

export interface MemoryNominationStore extends NominationStore {
  /** The nomination's campaign and recommending unit, for access checks; undefined if unknown. */
  scope(id: string): Promise<{ campaignId: string; unitId: string } | undefined>;
  /** Test access: every nomination, as stored. */
  all(): Nomination[];
  /** Test access: how many times the store was asked to write (saves, status changes, creates). */
  readonly writes: number;
  /**
   * The next `count` writes (create, save, changeStatus, appendAudit) fail with `error`, writing
   * nothing: Infinity until `failWrites(0)`.
   */
  failWrites(count: number, error?: Error): void;
}

/** What DynamoDB answers when it cannot take a write just now; the SDK's retries were spent. */
export const throttled = () =>
  Object.assign(new Error('Throughput exceeds the current capacity of your table or index.'), {
    name: 'ProvisionedThroughputExceededException',
  });

const auditKey = (e: AuditEvent) => `${e.nominationId}#${e.at}#${e.action}#${e.actor.subjectId}`;
const ledgerId = (campaignId: string, unitId: string) => `${campaignId}#${unitId}`;

export function memoryNominationStore(
  shared: {
    extensions?: Map<string, DeadlineExtension>;
    /** The stored ranking rows' statuses (`<campaign>#<category>#<id>`), shared with the review store. */
    rankingRows?: Map<string, { status: NominationStatus; shown?: RankingShown }>;
    /** The ranking's entries, shared with the review store: a status change may bring one. */
    rankingEntries?: RankingEntries;
  } = {},
): MemoryNominationStore {
  const nominations = new Map<string, Nomination>();
  /** Audit events by key, in insertion order; listed in key order like the table's sort key. */
  const audit = new Map<string, AuditEvent>();
  /** The notices claimed and not yet settled, by their audit key: when each was claimed. */
  const claims = new Map<string, string>();
  const ledgers = new Map<string, Map<string, number>>();
  /** campaign → nomination → what the round's planning reads of it, while it waits for its first experts. */
  const awaiting = new Map<string, Map<string, AwaitingExperts>>();
  const extensions = shared.extensions ?? new Map<string, DeadlineExtension>();
  const rankingRows =
    shared.rankingRows ?? new Map<string, { status: NominationStatus; shown?: RankingShown }>();
  const rankingEntriesShared = shared.rankingEntries ?? rankingEntries();
  /** As the adapter keeps the status and what is shown on the ranking's row of the nomination, in the same write. */
  const followRanking = (n: Nomination, before?: NominationStatus, withEntry = false) => {
    if (withEntry || rankingRowFollows(n.status, before)) {
      const shown = rankingShownOf(n);
      rankingRows.set(`${n.campaignId}#${n.category}#${n.id}`, {
        status: n.status,
        ...(shown ? { shown } : {}),
      });
    }
  };
  let writes = 0;
  let failing = { left: 0, error: new Error() };
  const write = () => {
    writes += 1;
    if (failing.left <= 0) return;
    failing.left -= 1;
    throw failing.error;
  };

  const changeStatus: NominationStore['changeStatus'] = async ({
    nomination,
    expectedVersion,
    quota,
    audit: event,
    quotaRefusal,
    rankingEntry,
  }) => {
    write();
    const stored = nominations.get(nomination.id);
    const versionFails = stored?.version !== expectedVersion;
    const ledger = ledgers.get(ledgerId(nomination.campaignId, nomination.unitId));
    const used = quota ? ledger?.get(quota.ledgerKey) : undefined;
    const quotaFails =
      quota !== undefined && quota.delta > 0 && quota.limit !== undefined && (used ?? 0) >= quota.limit;
    const auditFails = event !== undefined && audit.has(auditKey(event));
    if (versionFails) throw staleVersion(nomination.id);
    if (quotaFails) {
      throw new QuotaExceededError(quotaRefusal?.message ?? { zh: '推荐名额已满', en: 'Quota reached' }, {
        category: nomination.category,
        unitType: nomination.unitType,
        limit: quota?.limit ?? null,
      });
    }
    if (auditFails) throw transactionCanceled([false, ...(quota ? [false] : []), true]);
    followRanking(nomination, stored?.status, rankingEntry !== undefined);
    if (rankingEntry) putEntry(rankingEntriesShared, nomination.campaignId, rankingEntry);
    nominations.set(nomination.id, copy(nomination));
    const waiting = awaiting.get(nomination.campaignId) ?? new Map<string, AwaitingExperts>();
    awaiting.set(nomination.campaignId, waiting);
    if (stored?.status !== nomination.status && nomination.status === 'in-review')
      waiting.set(nomination.id, awaitingExpertsOf(nomination));
    else if (stored?.status === 'in-review' && nomination.status !== 'in-review')
      waiting.delete(nomination.id);
    if (quota) {
      const id = ledgerId(nomination.campaignId, nomination.unitId);
      const entries = ledgers.get(id) ?? new Map<string, number>();
      entries.set(quota.ledgerKey, (entries.get(quota.ledgerKey) ?? 0) + quota.delta);
      ledgers.set(id, entries);
    }
    if (event) audit.set(auditKey(event), copy(event));
  };

  /**
   * As the adapter: every change whose version still holds and whose event is new is written
   * (the adapter's transactions go again without the refused ones), the others answered as stale.
   */
  const changeStatuses: NominationStore['changeStatuses'] = async (changes) => {
    refuseQuotaChanges(changes);
    const stale: string[] = [];
    for (const change of changes) {
      const stored = nominations.get(change.nomination.id);
      if (stored?.version !== change.expectedVersion || (change.audit && audit.has(auditKey(change.audit))))
        stale.push(change.nomination.id);
      else await changeStatus(change);
    }
    return { stale };
  };

  const listed = (filter: (n: Nomination) => boolean, key: (n: Nomination) => string) =>
    [...nominations.values()]
      .filter(filter)
      .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
      .map(copy);

  return {
    get writes() {
      return writes;
    },
    all: () => [...nominations.values()].map(copy),
    failWrites(count, error = throttled()) {
      failing = { left: count, error };
    },

    async create(nomination, event) {
      write();
      const exists = nominations.has(nomination.id);
      const auditExists = audit.has(auditKey(event));
      if (exists || auditExists) throw transactionCanceled([exists, auditExists]);
      followRanking(nomination);
      nominations.set(nomination.id, copy(nomination));
      audit.set(auditKey(event), copy(event));
    },

    async get(id) {
      const n = nominations.get(id);
      return n ? copy(n) : undefined;
    },

    async getMany(ids) {
      return new Map(
        ids.flatMap((id) => {
          const n = nominations.get(id);
          return n ? [[id, copy(n)] as const] : [];
        }),
      );
    },

    changeStatuses,

    async storeAwaiting(id, awaiting, only) {
      write();
      const n = nominations.get(id);
      // The status only when it answers the step, as the table's store answers it.
      const answers = n && statusesAnswering(awaiting.step).includes(n.status);
      // As the table's store refuses its one write: nothing written.
      if (only?.ifScoreKept && (!n || answers || (n.status === 'scored' && !n.score))) return 'refused';
      if (!n) return undefined;
      nominations.set(id, { ...n, awaiting: copy(awaiting), version: n.version + 1 });
      return { id, awaiting: copy(awaiting), ...(answers ? { status: n.status } : {}) };
    },

    async scope(id) {
      const n = nominations.get(id);
      return n ? { campaignId: n.campaignId, unitId: n.unitId } : undefined;
    },

    unitFigures: async (campaignId, unitId) =>
      listed(
        (n) => n.campaignId === campaignId && n.unitId === unitId,
        (n) => `${n.createdAt}#${n.id}`,
      ).map((n) => ({ category: n.category, status: n.status })),

    listByStatus: async (campaignId, status) =>
      listed(
        (n) => n.campaignId === campaignId && n.status === status,
        (n) => `${n.category}#${n.updatedAt}#${n.id}`,
      ),

    async publishedPage(campaignId, status, request) {
      const rows = listed(
        (n) => n.campaignId === campaignId && n.status === status,
        (n) => `${n.category}#${n.updatedAt}#${n.id}`,
      ).map((n) => ({
        id: n.id,
        category: n.category,
        unitName: n.unitName,
        name: listedNomination(n).name,
        deeds: String((n.form as Record<string, unknown>)[PUBLISHED_FORM_FIELDS[n.category].deeds] ?? ''),
      }));
      return pageOf(rows, `published#${listName(campaignId, { status })}`, request);
    },

    async page(campaignId, filter, request) {
      // The orders of the table's indexes: by name within each category when searching (gsi3),
      // by creation within a unit (gsi2), else by status, category and last change (gsi1).
      const prefix = searchPrefix(filter.q);
      const statuses = filter.status
        ? [filter.status]
        : NOMINATION_STATUSES.filter((s) => s !== 'draft' || (filter.unit && filter.drafts));
      const nameKey = (n: Nomination) => nameSearchKey(listedNomination(n).name);
      const order = (n: Nomination) =>
        prefix !== undefined
          ? `${CATEGORY_IDS.indexOf(n.category)}#${nameKey(n)}#${n.id}`
          : filter.unit
            ? `${n.createdAt}#${n.id}`
            : `${String(statuses.indexOf(n.status)).padStart(2, '0')}#${n.category}#${n.updatedAt}#${n.id}`;
      const rows = listed(
        (n) =>
          n.campaignId === campaignId &&
          statuses.includes(n.status) &&
          (!filter.category || n.category === filter.category) &&
          (!filter.unit || n.unitId === filter.unit) &&
          (prefix === undefined || nameKey(n).startsWith(prefix)),
        order,
      ).map(listedNomination);
      const list = listName(campaignId, filter);
      return pageOf(rows, list, request);
    },

    async idsWithStatus(campaignId, status) {
      return listed(
        (n) => n.campaignId === campaignId && n.status === status,
        (n) => `${n.category}#${n.updatedAt}#${n.id}`,
      ).map((n) => n.id);
    },

    async awaitingExperts(campaignId, limit) {
      return [...(awaiting.get(campaignId)?.values() ?? [])]
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .slice(0, limit)
        .map(copy);
    },

    async expertsTaken(campaignId, nominationId) {
      awaiting.get(campaignId)?.delete(nominationId);
    },

    async counts(campaignId) {
      // What the adapter's aggregate holds after every change: the nominations' counts now.
      return countsOf([...nominations.values()].filter((n) => n.campaignId === campaignId));
    },

    save: (nomination, expectedVersion, event) =>
      changeStatus({ nomination, expectedVersion, ...(event ? { audit: event } : {}) }),

    async appendAttachment({ nominationId, record, expectedVersion, owner, statuses }) {
      // As the adapter's one write: every condition or nothing, and only a draft (a returned
      // nomination's index place moves with the change: the adapter leaves it to `save`).
      write();
      const stored = nominations.get(nominationId);
      if (
        !stored ||
        stored.version !== expectedVersion ||
        stored.campaignId !== owner.campaignId ||
        stored.unitId !== owner.unitId ||
        stored.status !== 'draft' ||
        !statuses.includes(stored.status) ||
        stored.attachments.some((a) => a.id === record.id)
      )
        return false;
      nominations.set(nominationId, {
        ...stored,
        attachments: [...stored.attachments, copy(record)],
        version: expectedVersion + 1,
        updatedAt: record.uploadedAt,
      });
      return true;
    },

    changeStatus,

    async auditTrail(id) {
      return [...audit.entries()]
        .filter(([key, e]) => e.nominationId === id && !claims.has(key))
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([, e]) => copy(e));
    },

    async appendAudit(event) {
      write();
      const key = auditKey(event);
      if (audit.has(key)) return false;
      audit.set(key, copy(event));
      return true;
    },

    async claimNotices(events, claimedAt, staleBefore) {
      // As the adapter: each notice once, all claimed in one write or none left claimed when one
      // is held (its transactions of 100 are one write each here: a chunk's notices are fewer).
      write();
      const unique = [...new Map(events.map((e) => [auditKey(e), e])).values()];
      const found: NoticeClaims = { claimed: [], recorded: [], held: [] };
      for (const event of unique) {
        const key = auditKey(event);
        const claim = claims.get(key);
        if (!audit.has(key) || (claim !== undefined && claim < staleBefore)) found.claimed.push(event);
        else if (claim === undefined) found.recorded.push(event);
        else found.held.push(event);
      }
      if (found.held.length > 0) return { ...found, claimed: [] };
      for (const event of found.claimed) {
        audit.set(auditKey(event), copy(event));
        claims.set(auditKey(event), claimedAt);
      }
      return found;
    },

    async settleNotices(settled) {
      write();
      for (const { event, outcome } of settled) {
        const key = auditKey(event);
        if ('released' in outcome) {
          // As the adapter: only the caller's own claim goes, not one another sender took over.
          if (claims.get(key) === outcome.released.claimedAt) {
            claims.delete(key);
            audit.delete(key);
          }
          continue;
        }
        claims.delete(key);
        audit.set(key, copy('refused' in outcome ? outcome.refused : event));
      }
    },

    async extensionFor(campaignId, unitId) {
      const extension = extensions.get(`${campaignId}#${unitId}`);
      return extension ? copy(extension) : undefined;
    },

    async quotaLedger(campaignId, unitId) {
      return Object.fromEntries(ledgers.get(ledgerId(campaignId, unitId)) ?? []);
    },
  };
}
