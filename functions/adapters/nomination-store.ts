import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { AuditEvent, NominationStore } from '../ports/nominations.js';
import type { DeadlineExtension } from '../rules/deadline.js';
import { QuotaExceededError } from '../rules/errors.js';
import { type Nomination, staleVersion } from '../rules/nomination.js';
import { conditionFailedAt, transactWrite } from './transactions.js';

/**
 * Nominations in the single table.
 *
 *   nomination#<id> / item          the nomination (its version at the top level, for conditions)
 *   nomination#<id> / audit#<at>#<action>#<actor>  one append-only event per action
 *   quota#<campaign>#<unit> / <key> the quota ledger: slots used per category (or in total)
 *   campaign#<campaign> / extension#<unit>   a unit's deadline extension
 *
 * gsi1: campaign#<c>#status#<s> → <category>#<updatedAt>#<id>  (secretariat lists by status)
 * gsi2: unit#<c>#<unit> → <createdAt>#<id>                     (a unit's own list)
 */

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const nominationKey = (id: string) => ({ pk: `nomination#${id}`, sk: 'item' });

function nominationItem(n: Nomination) {
  return {
    ...nominationKey(n.id),
    version: n.version,
    data: n,
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
