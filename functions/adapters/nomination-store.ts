import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { AuditEvent, NominationFilter, NominationStore } from '../ports/nominations.js';
import type { DeadlineExtension } from '../rules/deadline.js';
import { QuotaExceededError } from '../rules/errors.js';
import { type Nomination, staleVersion } from '../rules/nomination.js';
import { NOMINATION_STATUSES } from '../rules/nomination-status.js';
import { type ListedNomination, listedNomination, searchTextOf } from '../rules/nomination-view.js';
import { decodeCursor, encodeCursor, invalidCursor, MAX_PAGE } from '../rules/paging.js';
import { conditionFailedAt, transactWrite } from './transactions.js';

/**
 * Nominations in the single table.
 *
 *   nomination#<id> / item          the nomination (its version at the top level, for conditions)
 *   nomination#<id> / audit#<at>#<action>#<actor>  one append-only event per action
 *   quota#<campaign>#<unit> / <key> the quota ledger: slots used per category (or in total)
 *   campaign#<campaign> / extension#<unit>   a unit's deadline extension
 *   campaign#<campaign> / counts    nominations per status and per status#category (ADD with each change)
 *
 * The nomination item also carries `listed` (the row a list shows: no form, no attachments) and
 * `search` (name, unit, id in lower case): lists project only those, so a page costs what it shows.
 *
 * gsi1: campaign#<c>#status#<s> → <category>#<updatedAt>#<id>  (secretariat lists by status)
 * gsi2: unit#<c>#<unit> → <createdAt>#<id>                     (a unit's own list)
 */

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const nominationKey = (id: string) => ({ pk: `nomination#${id}`, sk: 'item' });

function nominationItem(n: Nomination) {
  const listed = listedNomination(n);
  return {
    ...nominationKey(n.id),
    version: n.version,
    data: n,
    listed,
    search: searchTextOf(listed),
    gsi1pk: `campaign#${n.campaignId}#status#${n.status}`,
    gsi1sk: `${n.category}#${n.updatedAt}#${n.id}`,
    gsi2pk: `unit#${n.campaignId}#${n.unitId}`,
    gsi2sk: `${n.createdAt}#${n.id}`,
  };
}

function auditItem(tableName: string, event: AuditEvent): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: {
        pk: `nomination#${event.nominationId}`,
        sk: `audit#${event.at}#${event.action}#${event.actor.subjectId}`,
        data: event,
      },
      // The same action by the same actor at the same instant twice is the same event replayed:
      // refuse it. (Two experts' reviews in one millisecond are two events: hence the actor.)
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

const countsKey = (campaignId: string) => ({ pk: `campaign#${campaignId}`, sk: 'counts' });

/** The counts aggregate's update: `delta` for the status and for the status and category. */
function countsUpdate(
  tableName: string,
  campaignId: string,
  changes: readonly { status: string; category: string; delta: 1 | -1 }[],
): TransactItem {
  const names: Record<string, string> = {};
  const values: Record<string, number> = {};
  const adds = changes.flatMap((c, i) => {
    names[`#s${i}`] = c.status;
    names[`#c${i}`] = `${c.status}#${c.category}`;
    values[`:d${i}`] = c.delta;
    return [`#s${i} :d${i}`, `#c${i} :d${i}`];
  });
  return {
    Update: {
      TableName: tableName,
      Key: countsKey(campaignId),
      UpdateExpression: `ADD ${adds.join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

/** Statuses a list without a status filter goes through, in order: every one but draft. */
const LISTED_STATUSES = NOMINATION_STATUSES.filter((s) => s !== 'draft');

const LIST_PROJECTION = 'listed, pk, sk, gsi1pk, gsi1sk, gsi2pk, gsi2sk';

const conditionFailed = conditionFailedAt;

export function dynamoNominationStore(documents: DynamoDBDocumentClient, tableName: string): NominationStore {
  const queryAll = async (input: ConstructorParameters<typeof QueryCommand>[0]) => {
    const items: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await documents.send(new QueryCommand({ ...input, ExclusiveStartKey }));
      items.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  };

  const changeStatus: NominationStore['changeStatus'] = async ({
    nomination,
    expectedVersion,
    quota,
    audit,
    quotaRefusal,
  }) => {
    const items: TransactItem[] = [
      {
        Put: {
          TableName: tableName,
          Item: nominationItem(nomination),
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':expected': expectedVersion },
        },
      },
    ];
    if (quota) {
      items.push({
        Update: {
          TableName: tableName,
          Key: { pk: `quota#${nomination.campaignId}#${nomination.unitId}`, sk: quota.ledgerKey },
          UpdateExpression: 'ADD used :delta',
          ...(quota.delta > 0 && quota.limit !== undefined
            ? {
                ConditionExpression: 'attribute_not_exists(used) OR used < :limit',
                ExpressionAttributeValues: { ':delta': quota.delta, ':limit': quota.limit },
              }
            : { ExpressionAttributeValues: { ':delta': quota.delta } }),
        },
      });
    }
    if (audit) items.push(auditItem(tableName, audit));
    // The counts move with the status. The version condition above makes the status read here
    // the one the write replaces.
    const { Item: before } = await documents.send(
      new GetCommand({
        TableName: tableName,
        Key: nominationKey(nomination.id),
        ProjectionExpression: '#d.#s, #d.category',
        ExpressionAttributeNames: { '#d': 'data', '#s': 'status' },
        ConsistentRead: true,
      }),
    );
    const was = before?.data as { status?: string; category?: string } | undefined;
    if (was?.status && (was.status !== nomination.status || was.category !== nomination.category)) {
      items.push(
        countsUpdate(tableName, nomination.campaignId, [
          { status: was.status, category: was.category ?? nomination.category, delta: -1 },
          { status: nomination.status, category: nomination.category, delta: 1 },
        ]),
      );
    }
    try {
      await transactWrite(documents, { TransactItems: items });
    } catch (error) {
      if (conditionFailed(error, 0)) throw staleVersion(nomination.id);
      if (quota && conditionFailed(error, 1)) {
        throw new QuotaExceededError(quotaRefusal?.message ?? { zh: '推荐名额已满', en: 'Quota reached' }, {
          category: nomination.category,
          unitType: nomination.unitType,
          limit: quota.limit ?? null,
        });
      }
      throw error;
    }
  };

  return {
    async create(nomination, audit) {
      await transactWrite(documents, {
        TransactItems: [
          {
            Put: {
              TableName: tableName,
              Item: nominationItem(nomination),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          auditItem(tableName, audit),
          countsUpdate(tableName, nomination.campaignId, [
            { status: nomination.status, category: nomination.category, delta: 1 },
          ]),
        ],
      });
    },

    async get(id) {
      const { Item } = await documents.send(
        new GetCommand({ TableName: tableName, Key: nominationKey(id), ConsistentRead: true }),
      );
      return Item?.data as Nomination | undefined;
    },

    async scope(id) {
      // Only the two attributes the access check needs: a read of a few bytes, not the whole form.
      const { Item } = await documents.send(
        new GetCommand({
          TableName: tableName,
          Key: nominationKey(id),
          ProjectionExpression: '#d.campaignId, #d.unitId',
          ExpressionAttributeNames: { '#d': 'data' },
        }),
      );
      const data = Item?.data as { campaignId?: string; unitId?: string } | undefined;
      return data?.campaignId && data.unitId
        ? { campaignId: data.campaignId, unitId: data.unitId }
        : undefined;
    },

    async listByUnit(campaignId, unitId) {
      const items = await queryAll({
        TableName: tableName,
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': `unit#${campaignId}#${unitId}` },
      });
      return items.map((i) => i.data as Nomination);
    },

    async listByStatus(campaignId, status) {
      const items = await queryAll({
        TableName: tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': `campaign#${campaignId}#status#${status}` },
      });
      return items.map((i) => i.data as Nomination);
    },

    async page(campaignId, filter, request) {
      const limit = request.limit ?? MAX_PAGE;
      const parts = listParts(tableName, campaignId, filter);
      const list = `nominations#${campaignId}#${filter.status ?? ''}#${filter.category ?? ''}#${filter.unit ?? ''}#${filter.q ?? ''}`;
      const position = decodeCursor(request.cursor, list);
      let part = position?.part ?? 0;
      let key: Record<string, unknown> | undefined = position?.key;
      if (part >= parts.length || (key && !parts[part]?.owns(key))) throw invalidCursor();
      const items: ListedNomination[] = [];
      // A filter (search, or status within a unit) may drop most of what a query reads: the page
      // stops after reading this many, answering what it found and the cursor to go on.
      let budget = 20 * MAX_PAGE;
      while (part < parts.length && items.length < limit && budget > 0) {
        const query = parts[part] as ListPart;
        const answer = await documents.send(
          new QueryCommand({
            ...query.input,
            ProjectionExpression: LIST_PROJECTION,
            Limit: query.input.FilterExpression ? MAX_PAGE : limit - items.length,
            ...(key ? { ExclusiveStartKey: key } : {}),
          }),
        );
        budget -= answer.ScannedCount ?? 0;
        const found = answer.Items ?? [];
        const room = limit - items.length;
        if (found.length > room) {
          // Cut the page short: go on after the last item kept (its key is the index's key).
          const kept = found.slice(0, room);
          items.push(...kept.map((i) => i.listed as ListedNomination));
          key = query.keyOf(kept[kept.length - 1] as Record<string, unknown>);
          break;
        }
        items.push(...found.map((i) => i.listed as ListedNomination));
        if (answer.LastEvaluatedKey) key = answer.LastEvaluatedKey;
        else {
          part += 1;
          key = undefined;
        }
      }
      const more = part < parts.length;
      return {
        items,
        cursor: more
          ? encodeCursor({ list, part, ...(key ? { key: key as Record<string, string> } : {}) })
          : null,
      };
    },

    async idsWithStatus(campaignId, status) {
      const items = await queryAll({
        TableName: tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': `campaign#${campaignId}#status#${status}` },
        ProjectionExpression: 'pk',
      });
      return items.map((i) => String(i.pk).slice('nomination#'.length));
    },

    async counts(campaignId) {
      const { Item } = await documents.send(
        new GetCommand({ TableName: tableName, Key: countsKey(campaignId), ConsistentRead: true }),
      );
      const { pk: _pk, sk: _sk, ...counts } = Item ?? {};
      return Object.fromEntries(
        Object.entries(counts)
          .map(([k, v]) => [k, Number(v)] as const)
          .filter(([, v]) => v > 0),
      );
    },

    save(nomination, expectedVersion, audit) {
      // A save is a change of state that takes no quota slot.
      return changeStatus({ nomination, expectedVersion, ...(audit ? { audit } : {}) });
    },

    changeStatus,

    async auditTrail(id) {
      const items = await queryAll({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :audit)',
        ExpressionAttributeValues: { ':pk': `nomination#${id}`, ':audit': 'audit#' },
        ConsistentRead: true,
      });
      return items.map((i) => i.data as AuditEvent);
    },

    async appendAudit(event) {
      try {
        await transactWrite(documents, { TransactItems: [auditItem(tableName, event)] });
        return true;
      } catch (error) {
        if (conditionFailed(error, 0)) return false;
        throw error;
      }
    },

    async extensionFor(campaignId, unitId) {
      const { Item } = await documents.send(
        new GetCommand({
          TableName: tableName,
          Key: { pk: `campaign#${campaignId}`, sk: `extension#${unitId}` },
        }),
      );
      return Item?.data as DeadlineExtension | undefined;
    },

    async quotaLedger(campaignId, unitId) {
      const items = await queryAll({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `quota#${campaignId}#${unitId}` },
        ConsistentRead: true,
      });
      return Object.fromEntries(items.map((i) => [String(i.sk), Number(i.used ?? 0)]));
    },
  };
}

interface ListPart {
  input: ConstructorParameters<typeof QueryCommand>[0];
  /** Whether a cursor's key belongs to this query (else DynamoDB would refuse it: a 400 for us). */
  owns(key: Record<string, unknown>): boolean;
  /** The ExclusiveStartKey that goes on after this item. */
  keyOf(item: Record<string, unknown>): Record<string, unknown>;
}

/** The index queries a filtered list reads, one after the other. */
function listParts(tableName: string, campaignId: string, filter: NominationFilter): ListPart[] {
  const filters: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  if (filter.q) {
    filters.push('contains(#search, :q)');
    names['#search'] = 'search';
    values[':q'] = filter.q.toLowerCase();
  }
  const keyOf =
    (index: 'gsi1' | 'gsi2') =>
    (item: Record<string, unknown>): Record<string, unknown> => ({
      pk: item.pk,
      sk: item.sk,
      [`${index}pk`]: item[`${index}pk`],
      [`${index}sk`]: item[`${index}sk`],
    });
  const owns = (index: 'gsi1' | 'gsi2', partition: string) => (key: Record<string, unknown>) =>
    Object.keys(key).length === 4 &&
    key[`${index}pk`] === partition &&
    typeof key[`${index}sk`] === 'string' &&
    typeof key.pk === 'string' &&
    String(key.pk).startsWith('nomination#') &&
    key.sk === 'item';
  const withFilter = (input: ConstructorParameters<typeof QueryCommand>[0], extra: string[] = []) => {
    const all = [...filters, ...extra];
    return {
      ...input,
      ...(all.length > 0 ? { FilterExpression: all.join(' AND ') } : {}),
      ...(Object.keys(names).length > 0 || input.ExpressionAttributeNames
        ? { ExpressionAttributeNames: { ...input.ExpressionAttributeNames, ...names } }
        : {}),
      ExpressionAttributeValues: { ...input.ExpressionAttributeValues, ...values },
    };
  };
  if (filter.unit) {
    // A unit's own nominations (its quota keeps them few): its partition, filtered.
    const partition = `unit#${campaignId}#${filter.unit}`;
    const extra: string[] = [];
    const unitNames: Record<string, string> = { '#l': 'listed', '#st': 'status' };
    const unitValues: Record<string, unknown> = { ':pk': partition };
    if (filter.status) {
      extra.push('#l.#st = :status');
      unitValues[':status'] = filter.status;
    } else {
      extra.push('#l.#st <> :draft');
      unitValues[':draft'] = 'draft';
    }
    if (filter.category) {
      extra.push('#l.category = :category');
      unitValues[':category'] = filter.category;
    }
    return [
      {
        input: withFilter(
          {
            TableName: tableName,
            IndexName: 'gsi2',
            KeyConditionExpression: 'gsi2pk = :pk',
            ExpressionAttributeNames: unitNames,
            ExpressionAttributeValues: unitValues,
          },
          extra,
        ),
        owns: owns('gsi2', partition),
        keyOf: keyOf('gsi2'),
      },
    ];
  }
  const statuses = filter.status ? [filter.status] : LISTED_STATUSES;
  return statuses.map((status) => {
    const partition = `campaign#${campaignId}#status#${status}`;
    return {
      input: withFilter({
        TableName: tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: filter.category
          ? 'gsi1pk = :pk AND begins_with(gsi1sk, :category)'
          : 'gsi1pk = :pk',
        ExpressionAttributeValues: {
          ':pk': partition,
          ...(filter.category ? { ':category': `${filter.category}#` } : {}),
        },
      }),
      owns: owns('gsi1', partition),
      keyOf: keyOf('gsi1'),
    };
  });
}
