import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandInput,
  type BatchGetCommandOutput,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { StoreBusyError } from '../rules/errors.js';
import { backoff, type TransactRetry } from './transactions.js';

/**
 * What an index holds of each item besides the keys. An index holding the whole item (ALL) is
 * written again, whole, by every write of an item it keys — four times the write units of a
 * nomination's item with three indexes — so the indexes hold the keys and, where a list filters
 * on them, the small `facets` map (a nomination's category and unit: what never changes, so a
 * status change leaves those indexes alone; a status is checked on the rows); a list reads its
 * rows from the table by key (BatchGetItem), a request a page.
 */
export type IndexProjection = { type: 'KEYS_ONLY' } | { type: 'INCLUDE'; attributes: readonly string[] };

/** The attribute a nomination's item carries for the indexes' filters (nomination-store.ts). */
export const FACETS_ATTRIBUTE = 'facets';

/**
 * Laurel keeps its state in one DynamoDB table, designed from the access patterns: items are
 * addressed by (pk, sk); three generic global secondary indexes serve the lists the UI needs
 * (by campaign and status, by unit or expert, by name within a category) so no request path ever scans. The CDK stack and
 * the local cloud both build the table from this one description.
 */
export const TABLE_SHAPE: {
  partitionKey: 'pk';
  sortKey: 'sk';
  indexes: readonly { name: string; partitionKey: string; sortKey: string; projection: IndexProjection }[];
  timeToLiveAttribute: 'expiresAt';
} = {
  partitionKey: 'pk',
  sortKey: 'sk',
  indexes: [
    // The status lists filter on nothing the key leaves open (the category is the sort key's start).
    { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk', projection: { type: 'KEYS_ONLY' } },
    // A unit's list filters on category (its status is checked on the rows read).
    {
      name: 'gsi2',
      partitionKey: 'gsi2pk',
      sortKey: 'gsi2sk',
      projection: { type: 'INCLUDE', attributes: [FACETS_ATTRIBUTE] },
    },
    // A name search filters on unit (its status is checked on the rows read).
    {
      name: 'gsi3',
      partitionKey: 'gsi3pk',
      sortKey: 'gsi3sk',
      projection: { type: 'INCLUDE', attributes: [FACETS_ATTRIBUTE] },
    },
  ],
  /** Epoch seconds after which DynamoDB may delete the item (expired links, sessions). */
  timeToLiveAttribute: 'expiresAt',
};

/** An index's projection as DynamoDB's API spells it (CreateTable, UpdateTable, DescribeTable). */
export const projectionOf = (projection: IndexProjection) =>
  projection.type === 'INCLUDE'
    ? { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: [...projection.attributes] }
    : { ProjectionType: projection.type };

export function tableDefinition(tableName: string): CreateTableCommandInput {
  const keyAttributes = [
    TABLE_SHAPE.partitionKey,
    TABLE_SHAPE.sortKey,
    ...TABLE_SHAPE.indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
  ];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: keyAttributes.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: TABLE_SHAPE.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE_SHAPE.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: TABLE_SHAPE.indexes.map((index) => ({
      IndexName: index.name,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      Projection: projectionOf(index.projection),
    })),
  };
}

/**
 * Every item of one partition (whose sort key begins with `within`, or lies between its `from`
 * and `to` inclusive, when given), page after page.
 */
export async function queryPartition(
  documents: DynamoDBDocumentClient,
  tableName: string,
  pk: string,
  within?: string | { from: string; to: string },
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  const keys =
    within === undefined
      ? { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } }
      : typeof within === 'string'
        ? {
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            ExpressionAttributeValues: { ':pk': pk, ':prefix': within },
          }
        : {
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
            ExpressionAttributeValues: { ':pk': pk, ':from': within.from, ':to': within.to },
          };
  do {
    const page = await documents.send(
      new QueryCommand({
        TableName: tableName,
        ...keys,
        ConsistentRead: true,
        ExclusiveStartKey,
      }),
    );
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

/** BatchWriteItem takes at most 25 puts and deletes a request. */
const BATCH_WRITE_LIMIT = 25;

type WriteRequest =
  | { PutRequest: { Item: Record<string, unknown> } }
  | { DeleteRequest: { Key: Record<string, unknown> } };

/**
 * How often a batch's unprocessed part is sent again before the table counts as busy: AWS's advice
 * for UnprocessedItems and UnprocessedKeys is to back off exponentially, with jitter; a part still
 * left after these rounds (about 4 s at most) is a table too busy to wait on, not a loop to keep.
 */
export const BATCH_RETRY: TransactRetry = { attempts: 8, baseDelayMs: 50, maxDelayMs: 1000 };

/**
 * Sends `first`, then what each answer leaves unprocessed (`send` answers undefined when nothing
 * is left), backing off between rounds; after `retry.attempts` rounds it gives up with
 * Laurel.StoreBusy, which the state machines retry and a request answers as 503 BUSY.
 */
async function untilProcessed<T>(
  first: T,
  send: (pending: T) => Promise<T | undefined>,
  what: string,
  retry: TransactRetry,
): Promise<void> {
  let pending: T | undefined = first;
  for (let round = 1; pending !== undefined; round += 1) {
    pending = await send(pending);
    if (pending === undefined) return;
    if (round >= retry.attempts) {
      throw new StoreBusyError(
        `The table stayed busy: ${what} still had unprocessed keys after ${round} rounds`,
      );
    }
    await backoff(round, retry);
  }
}

/**
 * Puts and deletes, 25 a request (BatchWriteItem's limit); what DynamoDB leaves unprocessed
 * (throttling) is sent again after a growing pause, a bounded number of times (BATCH_RETRY).
 */
export async function batchWrite(
  documents: DynamoDBDocumentClient,
  tableName: string,
  requests: readonly WriteRequest[],
  retry: TransactRetry = BATCH_RETRY,
): Promise<void> {
  for (let start = 0; start < requests.length; start += BATCH_WRITE_LIMIT) {
    await untilProcessed(
      requests.slice(start, start + BATCH_WRITE_LIMIT),
      async (pending) => {
        const { UnprocessedItems } = await documents.send(
          new BatchWriteCommand({ RequestItems: { [tableName]: pending } }),
        );
        const left = UnprocessedItems?.[tableName] as WriteRequest[] | undefined;
        return left && left.length > 0 ? left : undefined;
      },
      'BatchWriteItem',
      retry,
    );
  }
}

/** BatchGetItem takes at most 100 keys a request. */
const BATCH_GET_LIMIT = 100;

/**
 * The items of these keys (eventually consistent, or strongly with `read.ConsistentRead`), by
 * `pk/sk`, 100 keys a request; what DynamoDB leaves unprocessed is asked again after a growing
 * pause, a bounded number of times (BATCH_RETRY). A key given twice is asked once: BatchGetItem
 * refuses a request that names the same key twice (ValidationException). `read` may also read
 * only some attributes (its projection must name pk and sk). An item that is not there is not in
 * the answer.
 */
export async function batchGetItems(
  documents: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Record<string, unknown>[],
  read?: {
    ProjectionExpression?: string;
    ExpressionAttributeNames?: Record<string, string>;
    ConsistentRead?: boolean;
  },
  retry: TransactRetry = BATCH_RETRY,
): Promise<Map<string, Record<string, unknown>>> {
  const unique = [...new Map(keys.map((key) => [itemAddress(key), key])).values()];
  const found = new Map<string, Record<string, unknown>>();
  for (let at = 0; at < unique.length; at += BATCH_GET_LIMIT) {
    await untilProcessed<NonNullable<BatchGetCommandInput['RequestItems']>>(
      { [tableName]: { Keys: unique.slice(at, at + BATCH_GET_LIMIT), ...read } },
      async (request) => {
        const answer: BatchGetCommandOutput = await documents.send(
          new BatchGetCommand({ RequestItems: request }),
        );
        for (const item of answer.Responses?.[tableName] ?? []) found.set(itemAddress(item), item);
        const left = answer.UnprocessedKeys;
        return left && Object.keys(left).length > 0 ? left : undefined;
      },
      'BatchGetItem',
      retry,
    );
  }
  return found;
}

/** An item's address in batchGetItems' answer. */
export const itemAddress = (key: Record<string, unknown>) => `${String(key.pk)}/${String(key.sk)}`;
