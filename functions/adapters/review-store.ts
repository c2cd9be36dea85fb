import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { AuditEvent, StatusChange } from '../ports/nominations.js';
import type { OpenedByLink, RankingRow, ReviewRecorded, WrittenWithAssignments } from '../ports/reviews.js';
import type { CategoryId } from '../rules/categories.js';
import type { NominationStatus } from '../rules/nomination-status.js';
import type { AccessRecord } from '../rules/personal-information.js';
import type { RankingShown } from '../rules/ranking-lines.js';
import type { Assignment, ConflictDismissal, Expert } from '../rules/review.js';
import { type ReviewedNomination, rankingEntryOf } from '../rules/scoring.js';
import { accessRecordPut } from './access-log.js';
import { auditItem } from './audit-item.js';
import {
  awaitingKey,
  nominationFrom,
  rememberStatusChange,
  type SeenNominations,
  seenNominations,
  statusChangeItems,
} from './nomination-store.js';
import { batchGetItems, itemAddress, queryPartition } from './table.js';
import { conditionFailedAt, someConditionFailed, transactWrite, writtenIfCondition } from './transactions.js';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** How many links a store instance remembers the assignment of (a warm container's few experts). */
const REMEMBERED_LINKS = 1000;

/** An assignment still open to change: assigned, neither reviewed nor withdrawn. */
const OPEN_ASSIGNMENT =
  'attribute_exists(pk) AND attribute_not_exists(review) AND attribute_not_exists(withdrawn)';

/** The item of a link (`review-link#<sha256>`), put once: what the link opens, never changed after. */
const linkItem = (tableName: string, linkHash: string, nominationId: string, expertId: string) => ({
  Put: {
    TableName: tableName,
    Item: { pk: `review-link#${linkHash}`, sk: 'item', nominationId, expertId },
    ConditionExpression: 'attribute_not_exists(pk)',
  },
});

/**
 * What an expert's request reads of a nomination's partition: from its item (`item`, then its
 * parts `item#…`) to its assignments (`review#<expert>`; `#` sorts before `$`). Its audit trail
 * (`audit#…`) sorts before, out of the range.
 */
const OPENED_RANGE = { from: 'item', to: 'review$' };

/** The sort key prefixes of a campaign's experts and of its dismissed conflicts. */
const EXPERT = 'expert#';
const DISMISSAL = 'dismissal#';

const expertOf = (campaignId: string, i: Record<string, unknown>): Expert => ({
  id: String(i.id),
  campaignId,
  name: String(i.name),
  email: String(i.email),
  ...(i.affiliation ? { affiliation: String(i.affiliation) } : {}),
  ...(Array.isArray(i.organisations) && i.organisations.length
    ? { organisations: i.organisations.map(String) }
    : {}),
  ...(Array.isArray(i.collaborators) && i.collaborators.length
    ? { collaborators: i.collaborators.map(String) }
    : {}),
  ...(Array.isArray(i.categories) && i.categories.length
    ? { categories: i.categories.map(String) as Expert['categories'] }
    : {}),
  ...(typeof i.maxLoad === 'number' ? { maxLoad: i.maxLoad } : {}),
  load: Number(i.load ?? 0),
});

const dismissalOf = (i: Record<string, unknown>): ConflictDismissal => ({
  nominationId: String(i.nominationId),
  expertId: String(i.expertId),
  reason: String(i.reason),
  at: String(i.at),
  by: String(i.by),
});

const assignmentKey = (nominationId: string, expertId: string) => ({
  pk: `nomination#${nominationId}`,
  sk: `review#${expertId}`,
});

/** The stored ranking's row of a nomination (the nomination store writes its status there too). */
export const rankingKey = (campaignId: string, category: string, nominationId: string) => ({
  pk: `ranking#${campaignId}`,
  sk: `${category}#${nominationId}`,
});

/**
 * Experts and review assignments in the single table.
 *   campaign#<c> / expert#<id>            the expert, with the number of nominations assigned (load)
 *   nomination#<n> / review#<expert>      one assignment, its link hash and, once decided, the review
 *   campaign#<c> / dismissal#<n>#<expert> the secretariat's dismissal of an automatic conflict
 *   review-link#<sha256> / item           → the assignment a link opens
 *   ranking#<c> / <category>#<nomination> the stored ranking's row: what the ranking rule reads of
 *                                         the nomination (a few hundred bytes), its status and what
 *                                         a ranking page shows (name, unit, verdict: kept by the
 *                                         nomination store), so a ranking page is one query
 * gsi2: expert#<c>#<id> → <nomination>   (an expert's assignments)
 */
export function dynamoReviewStore(
  documents: DynamoDBDocumentClient,
  tableName: string,
  /** The nomination store's memory (`seenNominations`): the nomination a link opens is remembered there. */
  nominationsSeen?: SeenNominations,
) {
  /**
   * The assignment each link this container resolved opens. A link's item never changes: put once
   * with its assignment (on the condition that it is new), kept through erasure, never deleted —
   * so what it names is remembered, and an expert's later requests read only the assignment,
   * always fresh: whether the link still works (withdrawn, expired, the nomination erased) is
   * the assignment's and the nomination's to say. Bounded: a warm container forgets the oldest.
   */
  const linkTargets = new Map<string, { nominationId: string; expertId: string }>();
  const linkTarget = async (linkHash: string) => {
    const { Item } = await documents.send(
      new GetCommand({
        TableName: tableName,
        Key: { pk: `review-link#${linkHash}`, sk: 'item' },
        ConsistentRead: true,
      }),
    );
    if (!Item) return undefined;
    const target = { nominationId: String(Item.nominationId), expertId: String(Item.expertId) };
    linkTargets.set(linkHash, target);
    if (linkTargets.size > REMEMBERED_LINKS) linkTargets.delete(linkTargets.keys().next().value as string);
    return target;
  };
  /** Every item of the partition (whose sort key begins with `within`, or in its range, when given). */
  const query = (pk: string, within?: Parameters<typeof queryPartition>[3]) =>
    queryPartition(documents, tableName, pk, within);
  const madeIfCondition = (command: PutCommand | UpdateCommand) => writtenIfCondition(documents, command);
  /** A change of one assignment: once, or while open (the default condition). */
  const assignmentUpdate = (
    nominationId: string,
    expertId: string,
    update: Pick<UpdateCommandInput, 'ExpressionAttributeValues'> & {
      UpdateExpression: string;
      ConditionExpression?: string;
    },
  ) => ({
    TableName: tableName,
    Key: assignmentKey(nominationId, expertId),
    ConditionExpression: OPEN_ASSIGNMENT,
    ...update,
  });
  /** Changes one assignment; false when the condition fails. */
  const updateAssignment = (...change: Parameters<typeof assignmentUpdate>) =>
    madeIfCondition(new UpdateCommand(assignmentUpdate(...change)));
  /**
   * The same change with the audit event that records it, in one transaction (one request, not
   * two), and the read of personal information the change shows (`read`) with them: false when
   * the assignment's condition fails. An event stored already (the change's repeat after a
   * request cut short between them, before this) leaves the change alone. `along` goes in the
   * same transaction: when the condition of its first item fails, nothing is written and the
   * answer is its `refused`.
   */
  const updateAssignmentAudited = async <Refused extends string = never>(
    nominationId: string,
    expertId: string,
    update: Parameters<typeof assignmentUpdate>[2],
    audit: AuditEvent | undefined,
    read?: AccessRecord,
    along?: { items: TransactItem[]; refused: Refused },
  ): Promise<boolean | Refused> => {
    if (!audit && !read && !along) return updateAssignment(nominationId, expertId, update);
    const attempt = async (withAudit: boolean): Promise<boolean | Refused> => {
      const items = [
        { Update: assignmentUpdate(nominationId, expertId, update) },
        ...(withAudit && audit ? [auditItem(tableName, audit)] : []),
        ...(read ? [{ Put: accessRecordPut(tableName, read) }] : []),
      ];
      const alongAt = items.length;
      try {
        await transactWrite(documents, { TransactItems: [...items, ...(along?.items ?? [])] });
        return true;
      } catch (error) {
        if (conditionFailedAt(error, 0)) return false;
        if (along && conditionFailedAt(error, alongAt)) return along.refused;
        throw error;
      }
    };
    try {
      return await attempt(true);
    } catch (error) {
      if (!audit || !conditionFailedAt(error, 1)) throw error;
      return attempt(false);
    }
  };
  const assignmentOf = (item: Record<string, unknown>): Assignment => {
    const { pk: _pk, sk: _sk, gsi2pk: _g, gsi2sk: _s, ...rest } = item;
    return rest as unknown as Assignment;
  };

  return {
    async putRankingEntry(campaignId: string, entry: ReviewedNomination) {
      // An update, not a put: the row's status is the nomination store's to keep.
      await documents.send(
        new UpdateCommand({
          TableName: tableName,
          Key: rankingKey(campaignId, entry.category, entry.nominationId),
          UpdateExpression: 'SET #d = :entry',
          ExpressionAttributeNames: { '#d': 'data' },
          // DynamoDB's 1 MB a query counts whole items, whatever is projected: the row keeps only
          // what the ranking reads, so a category of a few thousand is one query.
          ExpressionAttributeValues: { ':entry': rankingEntryOf(entry) },
        }),
      );
    },

    async rankingEntries(campaignId: string, category?: CategoryId): Promise<RankingRow[]> {
      const rows: RankingRow[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await documents.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: category ? 'pk = :pk AND begins_with(sk, :category)' : 'pk = :pk',
            // A row with a status and no entry yet is a nomination still in review.
            FilterExpression: 'attribute_exists(#d)',
            ProjectionExpression: '#d, #s, shown',
            ExpressionAttributeNames: { '#d': 'data', '#s': 'status' },
            ExpressionAttributeValues: {
              ':pk': `ranking#${campaignId}`,
              ...(category ? { ':category': `${category}#` } : {}),
            },
            ExclusiveStartKey,
          }),
        );
        for (const item of page.Items ?? [])
          rows.push({
            entry: item.data as ReviewedNomination,
            status: item.status as NominationStatus | undefined,
            ...(item.shown ? { shown: item.shown as RankingShown } : {}),
          });
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return rows;
    },

    /** Registers an expert (again): name and e-mail may change; the load is kept. */
    async putExpert(expert: Omit<Expert, 'load'>) {
      await documents.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { pk: `campaign#${expert.campaignId}`, sk: `expert#${expert.id}` },
          UpdateExpression:
            'SET id = :id, campaignId = :c, #n = :name, email = :email, affiliation = :aff, organisations = :orgs, collaborators = :collab, categories = :cats, maxLoad = :cap, #l = if_not_exists(#l, :zero)',
          ExpressionAttributeNames: { '#n': 'name', '#l': 'load' },
          ExpressionAttributeValues: {
            ':id': expert.id,
            ':c': expert.campaignId,
            ':name': expert.name,
            ':email': expert.email,
            ':aff': expert.affiliation ?? null,
            ':orgs': expert.organisations ?? [],
            ':collab': expert.collaborators ?? [],
            ':cats': expert.categories ?? [],
            ':cap': expert.maxLoad ?? null,
            ':zero': 0,
          },
        }),
      );
    },

    async listExperts(campaignId: string): Promise<Expert[]> {
      return (await query(`campaign#${campaignId}`, EXPERT)).map((i) => expertOf(campaignId, i));
    },

    async expertsAndDismissals(campaignId: string) {
      // The dismissals' sort keys and the experts' are neighbours in the campaign's partition
      // (`dismissal#…` < `expert#…` < `expert$`; `discretion#…` before, `extension#…` after):
      // one range, whatever else a later item puts between them left out by its prefix.
      const items = await query(`campaign#${campaignId}`, { from: DISMISSAL, to: 'expert$' });
      const begins = (prefix: string) => (i: Record<string, unknown>) => String(i.sk).startsWith(prefix);
      return {
        experts: items.filter(begins(EXPERT)).map((i) => expertOf(campaignId, i)),
        dismissals: items.filter(begins(DISMISSAL)).map(dismissalOf),
      };
    },

    async assignments(nominationId: string): Promise<Assignment[]> {
      return (await query(`nomination#${nominationId}`, 'review#')).map(assignmentOf);
    },

    /**
     * The nomination and its assignments by one strongly consistent Query of the range `opened`
     * reads (its item, its parts, the experts' read records passed over, its assignments), not a
     * query of the item and its parts and another of the assignments.
     */
    async withAssignments(nominationId: string) {
      const items = await query(`nomination#${nominationId}`, OPENED_RANGE);
      return {
        nomination: nominationFrom(
          new Map(items.map((item) => [itemAddress(item), item])),
          nominationId,
          nominationsSeen,
        ),
        assignments: items.filter((item) => String(item.sk).startsWith('review#')).map(assignmentOf),
      };
    },

    /** One expert's assignments through gsi2 (eventually consistent: for views, never for decisions), a page of 100 a read. */
    async assignmentsOfExpert(campaignId: string, expertId: string): Promise<Assignment[]> {
      const items: Record<string, unknown>[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await documents.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: 'gsi2',
            KeyConditionExpression: 'gsi2pk = :pk',
            ExpressionAttributeValues: { ':pk': `expert#${campaignId}#${expertId}` },
            ExclusiveStartKey,
          }),
        );
        items.push(...(page.Items ?? []));
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      // The index holds the keys only (TABLE_SHAPE): the assignments themselves from the table.
      const found = await batchGetItems(
        documents,
        tableName,
        items.map((i) => ({ pk: i.pk, sk: i.sk })),
      );
      return items.flatMap((i) => {
        const item = found.get(itemAddress(i));
        return item ? [assignmentOf(item)] : [];
      });
    },

    /**
     * Creates the assignments and counts them on the experts, all or nothing; false if they exist.
     * Each made with its link puts the link's item too, as attachLink does; the audit event and
     * the nomination's leaving the planning window go in the same transaction.
     */
    async createAssignments(
      campaignId: string,
      assignments: readonly Assignment[],
      ceilings?: ReadonlyMap<string, number>,
      also: WrittenWithAssignments = {},
    ): Promise<boolean> {
      const [first] = assignments;
      try {
        await transactWrite(documents, {
          TransactItems: [
            ...assignments.flatMap((a) => [
              {
                Put: {
                  TableName: tableName,
                  Item: {
                    pk: `nomination#${a.nominationId}`,
                    sk: `review#${a.expertId}`,
                    gsi2pk: `expert#${campaignId}#${a.expertId}`,
                    gsi2sk: a.nominationId,
                    ...a,
                  },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              {
                Update: {
                  TableName: tableName,
                  Key: { pk: `campaign#${campaignId}`, sk: `expert#${a.expertId}` },
                  UpdateExpression: 'ADD #l :one',
                  ExpressionAttributeNames: { '#l': 'load' },
                  ...(ceilings?.has(a.expertId)
                    ? {
                        // Below the ceiling the use case set (cap, tolerated drift): else it chooses again.
                        ConditionExpression: '#l < :ceiling',
                        ExpressionAttributeValues: { ':one': 1, ':ceiling': ceilings.get(a.expertId) },
                      }
                    : { ExpressionAttributeValues: { ':one': 1 } }),
                },
              },
              ...(a.linkHash ? [linkItem(tableName, a.linkHash, a.nominationId, a.expertId)] : []),
            ]),
            ...(also.audit ? [auditItem(tableName, also.audit)] : []),
            ...(also.firstExperts && first
              ? [{ Delete: { TableName: tableName, Key: awaitingKey(campaignId, first.nominationId) } }]
              : []),
          ],
        });
        return true;
      } catch (error) {
        // Only a failed condition on an assignment means "already made"; a conflict was retried above.
        if (someConditionFailed(error)) return false;
        throw error;
      }
    },

    /** Attaches a link to an assignment once; false when it already has one (the mail went out). */
    async attachLink(
      nominationId: string,
      expertId: string,
      linkHash: string,
      linkExpiresAt: string,
    ): Promise<boolean> {
      try {
        await transactWrite(documents, {
          TransactItems: [
            {
              Update: {
                TableName: tableName,
                Key: assignmentKey(nominationId, expertId),
                UpdateExpression: 'SET linkHash = :h, linkExpiresAt = :x',
                ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(linkHash)',
                ExpressionAttributeValues: { ':h': linkHash, ':x': linkExpiresAt },
              },
            },
            linkItem(tableName, linkHash, nominationId, expertId),
          ],
        });
        return true;
      } catch (error) {
        if (someConditionFailed(error)) return false;
        throw error;
      }
    },

    async supersedeLink(nominationId: string, expertId: string, linkHash: string): Promise<void> {
      // Only the link still attached and not noted as mailed: a concurrent run may have moved on.
      await madeIfCondition(
        new UpdateCommand({
          TableName: tableName,
          Key: assignmentKey(nominationId, expertId),
          UpdateExpression: 'REMOVE linkHash, linkExpiresAt',
          ConditionExpression: 'linkHash = :h AND attribute_not_exists(linkMailedAt)',
          ExpressionAttributeValues: { ':h': linkHash },
        }),
      );
    },

    async markLinksMailed(
      nominationId: string,
      links: readonly { expertId: string; linkHash: string }[],
      at: string,
    ) {
      const marked = (link: { expertId: string; linkHash: string }) => ({
        TableName: tableName,
        Key: assignmentKey(nominationId, link.expertId),
        UpdateExpression: 'SET linkMailedAt = :at',
        ConditionExpression: 'linkHash = :h',
        ExpressionAttributeValues: { ':at': at, ':h': link.linkHash },
      });
      try {
        await transactWrite(documents, { TransactItems: links.map((link) => ({ Update: marked(link) })) });
      } catch (error) {
        if (!someConditionFailed(error)) throw error;
        if (links.length < 2) return;
        // A link superseded meanwhile refused them all: the others are noted one by one, the
        // superseded one passed over (see the port).
        const each = await Promise.allSettled(
          links.map((link) => documents.send(new UpdateCommand(marked(link)))),
        );
        const failed = each.find((e) => e.status === 'rejected' && !someConditionFailed(e.reason));
        if (failed?.status === 'rejected') throw failed.reason;
      }
    },

    async byLink(linkHash: string): Promise<Assignment | undefined> {
      const target = linkTargets.get(linkHash) ?? (await linkTarget(linkHash));
      if (!target) return undefined;
      const { Item: assignment } = await documents.send(
        new GetCommand({
          TableName: tableName,
          Key: assignmentKey(target.nominationId, target.expertId),
          ConsistentRead: true,
        }),
      );
      return assignment ? assignmentOf(assignment) : undefined;
    },

    /**
     * The assignment, its nomination and the nomination's other assignments by one strongly
     * consistent Query: the nomination's item, its parts (`item…`) and its assignments
     * (`review#…`) are one range of its partition. The experts' read records sort between them
     * (`read#…`, a few hundred bytes each) and come along, passed over: a key condition has one
     * range, and a filter may not name the sort key. A BatchGetItem of the assignment and the
     * nomination's keys read the same items but the other assignments, which the last review then
     * read again, by a request of its own, to see whether it completed the nomination.
     * The partition is the one the link's item names, or — for a link this container has not
     * resolved — the one its token names (`nominationId`), when an assignment there holds the
     * link's hash: no GetItem of the link's item first. A link no longer on its assignment
     * (superseded, still opening it) or a token naming another nomination is looked up by its item.
     */
    async opened(linkHash: string, nominationId?: string): Promise<OpenedByLink | undefined> {
      const openedIn = (
        items: Record<string, unknown>[],
        target: { nominationId: string; expertId: string },
      ) => {
        const found = new Map(items.map((item) => [itemAddress(item), item]));
        const assignment = found.get(itemAddress(assignmentKey(target.nominationId, target.expertId)));
        return assignment
          ? {
              assignment: assignmentOf(assignment),
              nomination: nominationFrom(found, target.nominationId, nominationsSeen),
              assignments: items.filter((item) => String(item.sk).startsWith('review#')).map(assignmentOf),
            }
          : undefined;
      };
      let named: Record<string, unknown>[] | undefined;
      if (nominationId && !linkTargets.has(linkHash)) {
        named = await query(`nomination#${nominationId}`, OPENED_RANGE);
        const attached = named.find(
          (item) => String(item.sk).startsWith('review#') && item.linkHash === linkHash,
        );
        if (attached) return openedIn(named, { nominationId, expertId: String(attached.expertId) });
      }
      const target = linkTargets.get(linkHash) ?? (await linkTarget(linkHash));
      if (!target) return undefined;
      const items =
        named && target.nominationId === nominationId
          ? named
          : await query(`nomination#${target.nominationId}`, OPENED_RANGE);
      return openedIn(items, target);
    },

    /** Records the declaration once (with its audit event and the read it shows): false when declared before or withdrawn. */
    recordDeclaration(
      nominationId: string,
      expertId: string,
      declaration: NonNullable<Assignment['declaration']>,
      audit?: AuditEvent,
      read?: AccessRecord,
    ): Promise<boolean> {
      return updateAssignmentAudited(
        nominationId,
        expertId,
        {
          UpdateExpression: 'SET declaration = :d',
          ConditionExpression:
            'attribute_exists(pk) AND attribute_not_exists(declaration) AND attribute_not_exists(withdrawn)',
          ExpressionAttributeValues: { ':d': declaration },
        },
        audit,
        read,
      ).then((recorded) => recorded === true);
    },

    /** Notes the review's due day, reminders sent or overdue; false when reviewed or withdrawn. */
    async updateReviewTimer(
      nominationId: string,
      expertId: string,
      patch: Pick<Assignment, 'dueDay' | 'remindersSent' | 'overdueAt'>,
    ): Promise<boolean> {
      const entries = Object.entries(patch).filter(([, v]) => v !== undefined);
      if (entries.length === 0) return true;
      return updateAssignment(nominationId, expertId, {
        UpdateExpression: `SET ${entries.map(([k]) => `${k} = :${k}`).join(', ')}`,
        ExpressionAttributeValues: Object.fromEntries(entries.map(([k, v]) => [`:${k}`, v])),
      });
    },

    /** More days for an open review: the extra days set, overdue and reminders cleared; false when closed. */
    extendReview(nominationId: string, expertId: string, extraDays: number): Promise<boolean> {
      return updateAssignment(nominationId, expertId, {
        UpdateExpression: 'SET extraDays = :d, remindersSent = :none REMOVE overdueAt',
        ExpressionAttributeValues: { ':d': extraDays, ':none': [] },
      });
    },

    /** Records a dismissed automatic conflict once: false when it was recorded before. */
    dismissConflict(campaignId: string, dismissal: ConflictDismissal): Promise<boolean> {
      return madeIfCondition(
        new PutCommand({
          TableName: tableName,
          Item: {
            pk: `campaign#${campaignId}`,
            sk: `dismissal#${dismissal.nominationId}#${dismissal.expertId}`,
            ...dismissal,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    },

    async conflictDismissals(campaignId: string, nominationId?: string): Promise<ConflictDismissal[]> {
      const items = await query(
        `campaign#${campaignId}`,
        `${DISMISSAL}${nominationId ? `${nominationId}#` : ''}`,
      );
      return items.map(dismissalOf);
    },

    /** Ends an assignment without a review and takes it off the expert's load, both or neither. */
    async withdrawAssignment(
      campaignId: string,
      nominationId: string,
      expertId: string,
      withdrawn: NonNullable<Assignment['withdrawn']>,
    ): Promise<boolean> {
      try {
        await transactWrite(documents, {
          TransactItems: [
            {
              Update: {
                TableName: tableName,
                Key: assignmentKey(nominationId, expertId),
                UpdateExpression: 'SET withdrawn = :w',
                ConditionExpression: OPEN_ASSIGNMENT,
                ExpressionAttributeValues: { ':w': withdrawn },
              },
            },
            {
              Update: {
                TableName: tableName,
                Key: { pk: `campaign#${campaignId}`, sk: `expert#${expertId}` },
                UpdateExpression: 'ADD #l :minus',
                ExpressionAttributeNames: { '#l': 'load' },
                ExpressionAttributeValues: { ':minus': -1 },
              },
            },
          ],
        });
        return true;
      } catch (error) {
        // Only the condition on the assignment can fail: reviewed or withdrawn before.
        if (someConditionFailed(error)) return false;
        throw error;
      }
    },

    async withdrawalMailed(nominationId: string, expertId: string, at: string): Promise<void> {
      await madeIfCondition(
        new UpdateCommand({
          TableName: tableName,
          Key: assignmentKey(nominationId, expertId),
          UpdateExpression: 'SET withdrawn.mailedAt = :at',
          ConditionExpression: 'attribute_exists(withdrawn)',
          ExpressionAttributeValues: { ':at': at },
        }),
      );
    },

    /**
     * Records a review once: false when the expert had already decided; with `otherOpen`, only
     * while that expert's assignment is open too ('other-closed' when not, nothing written); with
     * `closing`, the nomination's status change in the same transaction ('closing-stale' when its
     * version moved on, nothing written).
     */
    async recordReview(
      nominationId: string,
      expertId: string,
      review: NonNullable<Assignment['review']>,
      audit?: AuditEvent,
      otherOpen?: string,
      closing?: StatusChange,
    ): Promise<ReviewRecorded> {
      const seen = nominationsSeen ?? seenNominations();
      const along = otherOpen
        ? {
            // A check, not a read: billed as a write of the small item, one request fewer.
            items: [
              {
                ConditionCheck: {
                  TableName: tableName,
                  Key: assignmentKey(nominationId, otherOpen),
                  ConditionExpression: OPEN_ASSIGNMENT,
                },
              },
            ],
            refused: 'other-closed' as const,
          }
        : closing
          ? {
              // Its first item is the nomination on its version's condition.
              items: await statusChangeItems(documents, tableName, seen, closing),
              refused: 'closing-stale' as const,
            }
          : undefined;
      const recorded = await updateAssignmentAudited(
        nominationId,
        expertId,
        { UpdateExpression: 'SET review = :r', ExpressionAttributeValues: { ':r': review } },
        audit,
        undefined,
        along,
      );
      if (closing && recorded === true) rememberStatusChange(seen, closing);
      else if (closing) seen.delete(nominationId);
      return recorded;
    },
  };
}

export type ReviewStore = ReturnType<typeof dynamoReviewStore>;
