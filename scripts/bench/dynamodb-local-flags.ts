// `npm run bench:dynamodb-local`: DynamoDB Local's JVM flags, measured. Each variant starts a
// fresh DynamoDB Local on tmpfs and takes the same mix of requests a nomination's round makes —
// a nomination of the bench's size put, then rounds of a consistent GetItem, the submit's
// TransactWriteItems (nomination, quota ADD, audit event), a status UpdateItem and a page of the
// status index — from 8 callers at once. Reported per variant: Java CPU-ms per request (user +
// system, from /proc), the JVM's peak RSS, and wall time. CPU, not wall time, is the figure to
// compare on a shared machine. Settings: FLAGS_NOMINATIONS (default 300), FLAGS_ROUNDS (requests
// rounds per nomination, default 4), FLAGS_VARIANTS (names, comma-separated; default all).
import { mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { tableDefinition } from '../../functions/adapters/table.js';
import { DYNAMODB_LOCAL_JAVA_OPTIONS, ensureTables, startDynamoDb } from '../../infra/local/dynamodb.js';
import { inPool } from '../driver/poll.js';
import { Round } from './actors.js';
import { cpuSeconds, memoryOf } from './cloud.js';
import { makePlan } from './plan.js';

interface Variant {
  name: string;
  javaOptions: readonly string[];
  inMemory?: boolean;
}

export const VARIANTS: readonly Variant[] = [
  { name: 'JVM defaults', javaOptions: [] },
  { name: 'the cloud’s flags', javaOptions: DYNAMODB_LOCAL_JAVA_OPTIONS },
  { name: '-Xmx256m only', javaOptions: ['-Xmx256m'] },
  { name: '-Xmx512m, serial GC', javaOptions: ['-Xms64m', '-Xmx512m', '-XX:+UseSerialGC'] },
  {
    name: 'flags + TieredStopAtLevel=1',
    javaOptions: [...DYNAMODB_LOCAL_JAVA_OPTIONS, '-XX:TieredStopAtLevel=1'],
  },
  { name: 'flags + -inMemory', javaOptions: DYNAMODB_LOCAL_JAVA_OPTIONS, inMemory: true },
  // The heap holds requests in flight, not the data: a quarter of the cloud's heap must still do.
  { name: 'headroom: a 64 MB heap', javaOptions: ['-Xms64m', '-Xmx64m', '-XX:+UseSerialGC'] },
];

const TABLE = 'laurel';

export interface FlagsFigure {
  name: string;
  requests: number;
  cpuMsPerRequest: number;
  peakRssBytes: number;
  wallMs: number;
}

export async function measureVariant(
  variant: Variant,
  nominations: number,
  rounds: number,
): Promise<FlagsFigure> {
  const dataDir = mkdtempSync(join('/dev/shm', 'laurel-flags-'));
  const dynamo = await startDynamoDb({
    dataDir,
    javaOptions: variant.javaOptions,
    ...(variant.inMemory ? { inMemory: true } : {}),
    startupTimeoutMs: 120_000,
  });
  const client = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: 'cn-north-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  try {
    await ensureTables(client, [tableDefinition(TABLE)]);
    const plan = makePlan(nominations, 0);
    let requests = 0;
    // Counted here; the result is not used (every command's own type would need its own overload).
    const send = async (
      command: PutCommand | GetCommand | TransactWriteCommand | UpdateCommand | QueryCommand,
    ) => {
      requests += 1;
      await documents.send(command as PutCommand);
    };
    const one = async (index: number) => {
      const source = plan.nominations[index % plan.nominations.length];
      if (!source) return;
      const id = `n-flags-${index}`;
      const data = { ...Round.storedShape(source), id };
      const key = { pk: `nomination#${id}`, sk: 'item' };
      await send(new PutCommand({ TableName: TABLE, Item: { ...key, version: 0, data } }));
      for (let version = 0; version < rounds; version++) {
        const at = new Date(Date.UTC(2025, 0, 1, 0, 0, index, version)).toISOString();
        await send(new GetCommand({ TableName: TABLE, Key: key, ConsistentRead: true }));
        await send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: TABLE,
                  Item: {
                    ...key,
                    version: version + 1,
                    data: { ...data, version: version + 1, updatedAt: at },
                    gsi1pk: `flags#status#s${version}`,
                    gsi1sk: `${at}#${id}`,
                  },
                  ConditionExpression: 'version = :expected',
                  ExpressionAttributeValues: { ':expected': version },
                },
              },
              {
                Update: {
                  TableName: TABLE,
                  Key: { pk: `quota#flags#${index % 40}`, sk: 'volunteer' },
                  UpdateExpression: 'ADD used :one',
                  ExpressionAttributeValues: { ':one': 1 },
                },
              },
              {
                Put: {
                  TableName: TABLE,
                  Item: { pk: key.pk, sk: `audit#${at}`, data: { at, action: `step ${version}` } },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
            ],
          }),
        );
        await send(
          new UpdateCommand({
            TableName: TABLE,
            Key: key,
            UpdateExpression: 'SET checkedAt = :at',
            ExpressionAttributeValues: { ':at': at },
          }),
        );
        await send(
          new QueryCommand({
            TableName: TABLE,
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :pk',
            ExpressionAttributeValues: { ':pk': `flags#status#s${version}` },
            Limit: 25,
          }),
        );
      }
    };
    // A warm-up the JIT compiles on, not measured.
    await inPool(
      Array.from({ length: Math.min(50, nominations) }, (_, i) => nominations + i),
      8,
      one,
    );
    requests = 0;
    const cpuBefore = cpuSeconds(dynamo.pid) ?? 0;
    const started = performance.now();
    await inPool(
      Array.from({ length: nominations }, (_, i) => i),
      8,
      one,
    );
    const wallMs = performance.now() - started;
    const cpu = (cpuSeconds(dynamo.pid) ?? 0) - cpuBefore;
    return {
      name: variant.name,
      requests,
      cpuMsPerRequest: (1000 * cpu) / requests,
      peakRssBytes: memoryOf(dynamo.pid)?.peak ?? 0,
      wallMs,
    };
  } finally {
    documents.destroy();
    await dynamo.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const nominations = Number(process.env.FLAGS_NOMINATIONS ?? 300);
  const rounds = Number(process.env.FLAGS_ROUNDS ?? 4);
  const only = process.env.FLAGS_VARIANTS?.split(',').map((s) => s.trim());
  console.log(`DynamoDB Local's JVM flags: ${nominations} nominations × (1 + ${rounds} × 4) requests each`);
  console.log('variant | requests | Java CPU per request | peak RSS | wall time');
  for (const variant of VARIANTS) {
    if (only && !only.includes(variant.name)) continue;
    const f = await measureVariant(variant, nominations, rounds);
    console.log(
      `${f.name} [${variant.javaOptions.join(' ')}${variant.inMemory ? ' -inMemory' : ''}] | ${f.requests} | ${f.cpuMsPerRequest.toFixed(2)} ms | ${(f.peakRssBytes / 1_048_576).toFixed(0)} MiB | ${(f.wallMs / 1000).toFixed(1)} s`,
    );
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
