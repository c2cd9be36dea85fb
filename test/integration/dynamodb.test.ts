import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableDefinition } from '../../functions/adapters/table.js';
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
});
