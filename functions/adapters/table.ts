import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandInput,
  type BatchGetCommandOutput,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';

/**
 * What an index holds of each item besides the keys. An index holding the whole item (ALL) is
 * written again, whole, by every write of an item it keys — four times the write units of a
 * nomination's item with three indexes — so the indexes hold the keys and, where a list filters
 * on them, the small `facets` map (a nomination's status, category and unit); a list reads its
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
    // A unit's list filters on status and category; a unit's overview counts them.
    {
      name: 'gsi2',
      partitionKey: 'gsi2pk',
      sortKey: 'gsi2sk',
      projection: { type: 'INCLUDE', attributes: [FACETS_ATTRIBUTE] },
    },
    // A name search filters on status and unit.
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

/** Every item of one partition (whose sort key begins with `prefix`, when given), page after page. */
export async function queryPartition(
  documents: DynamoDBDocumentClient,
  tableName: string,
  pk: string,
  prefix?: string,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: prefix ? 'pk = :pk AND begins_with(sk, :prefix)' : 'pk = :pk',
        ExpressionAttributeValues: prefix ? { ':pk': pk, ':prefix': prefix } : { ':pk': pk },
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
 * Puts and deletes, 25 a request (BatchWriteItem's limit); what DynamoDB leaves unprocessed
 * (throttling) is sent again after a growing pause.
 */
export async function batchWrite(
  documents: DynamoDBDocumentClient,
  tableName: string,
  requests: readonly WriteRequest[],
): Promise<void> {
  for (let start = 0; start < requests.length; start += BATCH_WRITE_LIMIT) {
    let pending: WriteRequest[] | undefined = requests.slice(start, start + BATCH_WRITE_LIMIT);
    for (let attempt = 0; pending && pending.length > 0; attempt += 1) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** attempt)));
      const { UnprocessedItems } = await documents.send(
        new BatchWriteCommand({ RequestItems: { [tableName]: pending } }),
      );
      pending = UnprocessedItems?.[tableName] as WriteRequest[] | undefined;
    }
  }
}

/** BatchGetItem takes at most 100 keys a request. */
const BATCH_GET_LIMIT = 100;

/**
 * The items of these keys (eventually consistent), by `pk/sk`, 100 keys a request; what DynamoDB
 * leaves unprocessed is asked again after a growing pause. `projection` reads only some attributes
 * (it must name pk and sk). An item that is not there is not in the answer.
 */
export async function batchGetItems(
  documents: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Record<string, unknown>[],
  projection?: { ProjectionExpression: string; ExpressionAttributeNames?: Record<string, string> },
): Promise<Map<string, Record<string, unknown>>> {
  const found = new Map<string, Record<string, unknown>>();
  for (let at = 0; at < keys.length; at += BATCH_GET_LIMIT) {
    let request: BatchGetCommandInput['RequestItems'] = {
      [tableName]: { Keys: keys.slice(at, at + BATCH_GET_LIMIT), ...projection },
    };
    for (let round = 0; request && Object.keys(request).length > 0; round++) {
      if (round > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** round)));
      const answer: BatchGetCommandOutput = await documents.send(
        new BatchGetCommand({ RequestItems: request }),
      );
      for (const item of answer.Responses?.[tableName] ?? []) found.set(itemAddress(item), item);
      request = answer.UnprocessedKeys;
    }
  }
  return found;
}

/** An item's address in batchGetItems' answer. */
export const itemAddress = (key: Record<string, unknown>) => `${String(key.pk)}/${String(key.sk)}`;
