import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoNominationStore } from '../../functions/adapters/nomination-store.js';
import { batchGetItems, tableDefinition } from '../../functions/adapters/table.js';
import { ensureTables, type LocalDynamoDb, startDynamoDb } from '../../infra/local/dynamodb.js';

describe('DynamoDB Local through the AWS SDK', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'laurel-ddb-'));
  const table = 'laurel-test';
  let dynamo: LocalDynamoDb;
  let client: DynamoDBClient;
  let documents: DynamoDBDocumentClient;

  beforeAll(async () => {
    dynamo = await startDynamoDb({ dataDir });
    client = new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: 'cn-north-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    documents = DynamoDBDocumentClient.from(client);
    await ensureTables(client, [tableDefinition(table)]);
    await ensureTables(client, [tableDefinition(table)]); // a second start finds the table and carries on
  }, 60_000);

  afterAll(async () => {
    client?.destroy();
    await dynamo?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('changes nothing when one condition of a TransactWriteItems fails', async () => {
    await documents.send(
      new PutCommand({ TableName: table, Item: { pk: 'unit#u1', sk: 'quota#volunteer', used: 2 } }),
    );
    const attempt = documents.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: table, Item: { pk: 'nomination#n3', sk: 'meta', status: 'submitted' } } },
          {
            Update: {
              TableName: table,
              Key: { pk: 'unit#u1', sk: 'quota#volunteer' },
              UpdateExpression: 'SET used = used + :one',
              ConditionExpression: 'used < :limit',
              ExpressionAttributeValues: { ':one': 1, ':limit': 2 },
            },
          },
        ],
      }),
    );
    await expect(attempt).rejects.toBeInstanceOf(TransactionCanceledException);
    const nomination = await documents.send(
      new GetCommand({ TableName: table, Key: { pk: 'nomination#n3', sk: 'meta' } }),
    );
    expect(nomination.Item).toBeUndefined();
    const ledger = await documents.send(
      new GetCommand({ TableName: table, Key: { pk: 'unit#u1', sk: 'quota#volunteer' } }),
    );
    expect(ledger.Item?.used).toBe(2);
  });

  it('refuses a TransactWriteItems of more than 100 actions, or naming one item twice, as AWS does — the limits which the batched status changes of the store keep below', async () => {
    const put = (i: number) => ({ Put: { TableName: table, Item: { pk: `limits#${i}`, sk: 'item' } } });
    await documents.send(
      new TransactWriteCommand({ TransactItems: Array.from({ length: 100 }, (_, i) => put(i)) }),
    );
    await expect(
      documents.send(
        new TransactWriteCommand({ TransactItems: Array.from({ length: 101 }, (_, i) => put(i)) }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(
      documents.send(new TransactWriteCommand({ TransactItems: [put(1), put(2), put(1)] })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('answers a Query on a global secondary index', async () => {
    for (const [id, status] of [
      ['n1', 'submitted'],
      ['n2', 'returned'],
      ['n4', 'submitted'],
    ] as const) {
      await documents.send(
        new PutCommand({
          TableName: table,
          Item: {
            pk: `nomination#${id}`,
            sk: 'meta',
            gsi1pk: `campaign#cast-2024#status#${status}`,
            gsi1sk: id,
          },
        }),
      );
    }
    const submitted = await documents.send(
      new QueryCommand({
        TableName: table,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': 'campaign#cast-2024#status#submitted' },
      }),
    );
    expect(submitted.Items?.map((i) => i.gsi1sk)).toEqual(['n1', 'n4']);
  });

  it('adds to a table kept from an earlier version the indexes added since, and answers on them', async () => {
    const current = tableDefinition('older');
    const [first, ...added] = current.GlobalSecondaryIndexes ?? [];
    expect(added.length).toBeGreaterThan(0);
    const used = new Set(['pk', 'sk', ...(first?.KeySchema ?? []).map((k) => k.AttributeName)]);
    await ensureTables(client, [
      {
        ...current,
        AttributeDefinitions: current.AttributeDefinitions?.filter((a) => used.has(a.AttributeName)),
        GlobalSecondaryIndexes: first ? [first] : [],
      },
    ]);
    await ensureTables(client, [current]);
    const { Table } = await client.send(new DescribeTableCommand({ TableName: 'older' }));
    expect(Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName).sort()).toEqual(
      current.GlobalSecondaryIndexes?.map((i) => i.IndexName).sort(),
    );
    await documents.send(
      new PutCommand({
        TableName: 'older',
        Item: { pk: 'nomination#n1', sk: 'item', gsi3pk: 'names#c#volunteer', gsi3sk: '张伟#n1' },
      }),
    );
    const found = await documents.send(
      new QueryCommand({
        TableName: 'older',
        IndexName: 'gsi3',
        KeyConditionExpression: 'gsi3pk = :pk AND begins_with(gsi3sk, :prefix)',
        ExpressionAttributeValues: { ':pk': 'names#c#volunteer', ':prefix': '张' },
      }),
    );
    expect(found.Items?.map((i) => i.pk)).toEqual(['nomination#n1']);
  });

  it('builds again an index whose projection changed (ALL before), filled from the items already there', async () => {
    const current = tableDefinition('projected');
    const everything = {
      ...current,
      GlobalSecondaryIndexes: current.GlobalSecondaryIndexes?.map((i) => ({
        ...i,
        Projection: { ProjectionType: 'ALL' as const },
      })),
    };
    await ensureTables(client, [everything]);
    await documents.send(
      new PutCommand({
        TableName: 'projected',
        Item: {
          pk: 'nomination#n1',
          sk: 'item',
          gsi2pk: 'unit#c#u1',
          gsi2sk: '2026#n1',
          facets: { status: 'submitted' },
          data: { form: 'x'.repeat(2000) },
        },
      }),
    );
    await ensureTables(client, [current]);
    const { Table } = await client.send(new DescribeTableCommand({ TableName: 'projected' }));
    const projections = Object.fromEntries(
      (Table?.GlobalSecondaryIndexes ?? []).map((i) => [i.IndexName, i.Projection]),
    );
    expect(projections).toEqual(
      Object.fromEntries((current.GlobalSecondaryIndexes ?? []).map((i) => [i.IndexName, i.Projection])),
    );
    const unit = await documents.send(
      new QueryCommand({
        TableName: 'projected',
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': 'unit#c#u1' },
      }),
    );
    // The index holds the keys and the facets only: the item written before the change is there, without its data.
    expect(unit.Items).toEqual([
      {
        pk: 'nomination#n1',
        sk: 'item',
        gsi2pk: 'unit#c#u1',
        gsi2sk: '2026#n1',
        facets: { status: 'submitted' },
      },
    ]);
  });

  it('refuses a BatchGetItem naming the same key twice, as AWS does, and batchGetItems asks for it once', async () => {
    await documents.send(
      new PutCommand({ TableName: table, Item: { pk: 'nomination#dup', sk: 'item', n: 1 } }),
    );
    const key = { pk: 'nomination#dup', sk: 'item' };
    const twice = documents.send(
      new BatchGetCommand({ RequestItems: { [table]: { Keys: [key, { ...key }] } } }),
    );
    await expect(twice).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('duplicates'),
    });
    const found = await batchGetItems(documents, table, [
      key,
      { ...key },
      { pk: 'nomination#none', sk: 'item' },
    ]);
    expect([...found.values()]).toEqual([{ pk: 'nomination#dup', sk: 'item', n: 1 }]);
  });

  it("claims a notice's key before its send: one claimant at a time, a stale claim taken over, the trail showing only what was settled", async () => {
    const store = dynamoNominationStore(documents, table);
    const event = (action: string) => ({
      nominationId: 'n-notice',
      at: '2025-03-01T01:00:00.001Z',
      actor: { role: 'system' as const, subjectId: 'system', name: 'Laurel' },
      action,
    });
    const sent = event('release-notice');
    const lease = { at: '2025-03-01T01:00:01.000Z', stale: '2025-03-01T00:55:01.000Z' };
    expect(await store.claimNotice(sent, lease.at, lease.stale)).toBe('claimed');
    expect(await store.claimNotice(sent, lease.at, lease.stale)).toBe('held');
    expect(await store.auditTrail('n-notice')).toEqual([]);
    // A send that failed lets the claim go: the next claims it at once.
    await store.settleNotice(sent, { released: true });
    expect(await store.claimNotice(sent, lease.at, lease.stale)).toBe('claimed');
    // A claimant that died: its claim is taken over once older than the lease.
    expect(await store.claimNotice(sent, '2025-03-01T01:06:00.000Z', '2025-03-01T01:01:00.000Z')).toBe(
      'claimed',
    );
    await store.settleNotice(sent, { sent: true });
    expect(await store.claimNotice(sent, '2025-03-01T02:00:00.000Z', '2025-03-01T01:55:00.000Z')).toBe(
      'recorded',
    );
    const refused = event('select-notice');
    expect(await store.claimNotice(refused, lease.at, lease.stale)).toBe('claimed');
    await store.settleNotice(refused, {
      refused: { ...refused, action: 'select-notice-refused', reason: 'unit@example.cn' },
    });
    expect(await store.claimNotice(refused, '2025-03-01T02:00:00.000Z', '2025-03-01T01:55:00.000Z')).toBe(
      'recorded',
    );
    expect((await store.auditTrail('n-notice')).map((e) => [e.action, e.reason])).toEqual([
      ['release-notice', undefined],
      ['select-notice-refused', 'unit@example.cn'],
    ]);
  });

  it('claims a notice whose other claimant let go between the refused claim and its read, instead of answering "held"', async () => {
    const event = {
      nominationId: 'n-let-go',
      at: '2025-03-01T01:00:00.001Z',
      actor: { role: 'system' as const, subjectId: 'system', name: 'Laurel' },
      action: 'release-notice',
    };
    const lease = { at: '2025-03-01T01:00:01.000Z', stale: '2025-03-01T00:55:01.000Z' };
    const other = dynamoNominationStore(documents, table);
    expect(await other.claimNotice(event, lease.at, lease.stale)).toBe('claimed');
    // This claimant's client: right after its conditional put is refused, the other's send fails
    // and lets the claim go, before this one reads what holds it.
    const racing = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: dynamo.endpoint,
        region: 'cn-north-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
    );
    let letGo = false;
    racing.middlewareStack.add(
      (next) => async (args) => {
        try {
          return await next(args);
        } catch (error) {
          if (!letGo && (error as Error).name === 'ConditionalCheckFailedException') {
            letGo = true;
            await other.settleNotice(event, { released: true });
          }
          throw error;
        }
      },
      { step: 'initialize' },
    );
    try {
      expect(await dynamoNominationStore(racing, table).claimNotice(event, lease.at, lease.stale)).toBe(
        'claimed',
      );
      expect(letGo).toBe(true);
      // It holds the claim now: the other, trying again, is told so.
      expect(await other.claimNotice(event, lease.at, lease.stale)).toBe('held');
    } finally {
      racing.destroy();
    }
  });
});
