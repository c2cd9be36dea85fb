import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableDefinition } from '../../functions/adapters/table.js';
import { ensureTables, type LocalDynamoDb, startDynamoDb } from '../../infra/local/dynamodb.js';
import {
  type DynamoCounter,
  difference,
  startDynamoCounter,
  totals,
} from '../../scripts/bench/dynamo-counter.js';

/**
 * The bench's counting proxy charges what DynamoDB charges on demand, on DynamoDB Local's own
 * answers: a write unit per KB of the item, rounded up (the larger of the item before and after
 * for a replace or an update), once more for each index the item is in, twice in a transaction;
 * a consistent read a unit per 4 KB. Items of 2.5 KB: 3 units a write.
 */
describe('the counting proxy charges write and read units as DynamoDB does', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'laurel-counter-'));
  const table = 'laurel-counter';
  const kb25 = 'x'.repeat(2500);
  let dynamo: LocalDynamoDb;
  let counter: DynamoCounter;
  let documents: DynamoDBDocumentClient;

  beforeAll(async () => {
    dynamo = await startDynamoDb({ dataDir });
    counter = await startDynamoCounter(dynamo.endpoint);
    const client = new DynamoDBClient({
      endpoint: counter.endpoint,
      region: 'cn-north-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    await ensureTables(client, [tableDefinition(table)]);
    documents = DynamoDBDocumentClient.from(client);
  }, 120_000);

  afterAll(async () => {
    documents?.destroy();
    await counter?.stop();
    await dynamo?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** The units one request was charged, and how many items it wrote. */
  const charged = async (send: () => Promise<unknown>) => {
    const before = counter.snapshot();
    await send().catch(() => undefined);
    const t = totals(difference(counter.snapshot(), before));
    return {
      writeUnits: t.writeUnits,
      indexWriteUnits: t.indexWriteUnits,
      readUnits: t.readUnits,
      itemsWritten: t.itemsWritten,
      refused: t.refused,
    };
  };

  it('a plain write: one unit per KB, rounded up; the larger image of a replace or an update', async () => {
    const key = { pk: 'plain', sk: 'item' };
    expect(
      await charged(() => documents.send(new PutCommand({ TableName: table, Item: { ...key, data: kb25 } }))),
    ).toEqual({
      writeUnits: 3,
      indexWriteUnits: 0,
      readUnits: 0,
      itemsWritten: 1,
      refused: 0,
    });
    // Replaced by a small item: the 2.5 KB before counts.
    const replaced = await charged(() =>
      documents.send(new PutCommand({ TableName: table, Item: { ...key, data: 'small' } })),
    );
    expect(replaced.writeUnits).toBe(3);
    const grown = await charged(() =>
      documents.send(
        new UpdateCommand({
          TableName: table,
          Key: key,
          UpdateExpression: 'SET #d = :d',
          ExpressionAttributeNames: { '#d': 'data' },
          ExpressionAttributeValues: { ':d': `${kb25}${kb25}` },
        }),
      ),
    );
    expect(grown.writeUnits).toBe(5);
    expect(
      (await charged(() => documents.send(new DeleteCommand({ TableName: table, Key: key })))).writeUnits,
    ).toBe(5);
  });

  it('an item in an index is written twice: whole in the table, its keys in a keys-only index', async () => {
    const put = await charged(() =>
      documents.send(
        new PutCommand({
          TableName: table,
          Item: { pk: 'indexed', sk: 'item', data: kb25, gsi1pk: 'status#submitted', gsi1sk: '1' },
        }),
      ),
    );
    // 2.5 KB in the table (3 units) and, in gsi1, which projects keys only, a few bytes (1 unit).
    expect(put.writeUnits).toBe(4);
    // The index's unit is told apart from the table's (the bench's report splits them).
    expect(put.indexWriteUnits).toBe(1);
    // In a transaction both are doubled, the index's share with them.
    const transacted = await charged(() =>
      documents.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: table,
                Item: {
                  pk: 'indexed',
                  sk: 'transacted',
                  data: kb25,
                  gsi1pk: 'status#submitted',
                  gsi1sk: '2',
                },
              },
            },
          ],
        }),
      ),
    );
    expect(transacted).toMatchObject({ writeUnits: 8, indexWriteUnits: 2 });
  });

  it('a transaction: two units per KB of each item it writes, none for a condition check', async () => {
    await documents.send(new PutCommand({ TableName: table, Item: { pk: 'checked', sk: 'item' } }));
    const written = await charged(() =>
      documents.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: table, Item: { pk: 'transacted', sk: 'item', data: kb25 } } },
            { Put: { TableName: table, Item: { pk: 'transacted', sk: 'audit#1', data: 'small' } } },
            {
              ConditionCheck: {
                TableName: table,
                Key: { pk: 'checked', sk: 'item' },
                ConditionExpression: 'attribute_exists(pk)',
              },
            },
          ],
        }),
      ),
    );
    // 2 × 3 for the 2.5 KB item, 2 × 1 for the small one; the check is a read, not a write.
    expect(written.itemsWritten).toBe(2);
    expect(written.writeUnits).toBe(8);
  });

  it('a transaction of an update and an audit event: two units per KB of each, the larger image of the update', async () => {
    await documents.send(
      new PutCommand({ TableName: table, Item: { pk: 'updated', sk: 'item', data: kb25 } }),
    );
    const written = await charged(() =>
      documents.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: table,
                Key: { pk: 'updated', sk: 'item' },
                UpdateExpression: 'SET #s = :s',
                ExpressionAttributeNames: { '#s': 'status' },
                ExpressionAttributeValues: { ':s': 'passed' },
              },
            },
            { Put: { TableName: table, Item: { pk: 'updated', sk: 'audit#1', data: 'small' } } },
          ],
        }),
      ),
    );
    // The way a status change is written: 2 × 3 for the 2.5 KB item updated, 2 × 1 for the event.
    expect(written.itemsWritten).toBe(2);
    expect(written.writeUnits).toBe(8);
  });

  it('a transaction of small items: two units each, where DynamoDB Local charges them as one', async () => {
    const written = await charged(() =>
      documents.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: table, Item: { pk: 'small', sk: 'one', data: 'x'.repeat(300) } } },
            { Put: { TableName: table, Item: { pk: 'small', sk: 'two', data: 'x'.repeat(300) } } },
            { Put: { TableName: table, Item: { pk: 'small', sk: 'three', data: 'x'.repeat(300) } } },
          ],
        }),
      ),
    );
    // AWS bills 2 × 1 for each item under 1 KB; DynamoDB Local answers less.
    expect(written.itemsWritten).toBe(3);
    expect(written.writeUnits).toBe(6);
    const mixed = await charged(() =>
      documents.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: table, Item: { pk: 'mixed', sk: 'large', data: kb25 } } },
            { Put: { TableName: table, Item: { pk: 'mixed', sk: 'one', data: 'small' } } },
            { Put: { TableName: table, Item: { pk: 'mixed', sk: 'two', data: 'small' } } },
          ],
        }),
      ),
    );
    // 2 × 3 for the 2.5 KB item and 2 × 1 for each small one.
    expect(mixed.writeUnits).toBe(10);
  });

  it('a refused write still costs a unit; a consistent read of 2.5 KB one read unit', async () => {
    await documents.send(new PutCommand({ TableName: table, Item: { pk: 'taken', sk: 'item', data: kb25 } }));
    const refused = await charged(() =>
      documents.send(
        new PutCommand({
          TableName: table,
          Item: { pk: 'taken', sk: 'item', data: kb25 },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
    expect(refused).toEqual({ writeUnits: 1, indexWriteUnits: 0, readUnits: 0, itemsWritten: 1, refused: 1 });
    const read = await charged(() =>
      documents.send(
        new GetCommand({ TableName: table, Key: { pk: 'taken', sk: 'item' }, ConsistentRead: true }),
      ),
    );
    expect(read.readUnits).toBe(1);
  });
});
