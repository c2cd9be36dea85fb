import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  type Projection,
  ResourceInUseException,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { freePort, killStaleProcess, rememberPid, sleep, spawn, stopChild } from './processes.js';

/**
 * DynamoDB Local — AWS's own engine, so TransactWriteItems, condition expressions, GSIs and
 * TTL behave as in AWS (dynalite lacks transactions and TTL). Its jar ships inside the
 * `amplify-dynamodb-simulator` npm package and runs on the machine's Java (17+).
 */

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

function emulatorDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('amplify-dynamodb-simulator/package.json')), 'emulator');
}

export interface LocalDynamoDb {
  endpoint: string;
  /** The Java process's id (its CPU and memory are the local cloud's too). */
  pid: number;
  stop(): Promise<void>;
}

/**
 * The JVM's settings, chosen by measurement (`npm run bench:dynamodb-local`: CPU per request and
 * peak RSS under the round's mix of requests, each flag on and off). The data lives in SQLite
 * files, not on the Java heap, so a small heap holds a national round; without a limit the JVM
 * takes up to a quarter of the machine's memory and keeps it (2,985 MiB at 3,000 nominations).
 * The serial collector suits a small heap on two cores: no parallel GC threads competing with the
 * cloud for the cores it is measured on.
 */
export const DYNAMODB_LOCAL_JAVA_OPTIONS: readonly string[] = [
  '-Xms64m',
  '-Xmx128m',
  '-XX:+UseSerialGC',
  // A heap that runs out stops Java at once, which the cloud reports (see below), rather than
  // leaving DynamoDB Local up with threads that died of OutOfMemoryError.
  '-XX:+ExitOnOutOfMemoryError',
];

export async function startDynamoDb(options: {
  dataDir: string;
  port?: number;
  host?: string;
  startupTimeoutMs?: number;
  /** JVM flags in place of DYNAMODB_LOCAL_JAVA_OPTIONS (to measure others). */
  javaOptions?: readonly string[];
  /** Keep the tables in memory only (`-inMemory`): gone when it stops; for measurement, never the cloud's. */
  inMemory?: boolean;
}): Promise<LocalDynamoDb> {
  const host = options.host ?? '127.0.0.1';
  mkdirSync(options.dataDir, { recursive: true });
  const pidFile = join(options.dataDir, 'dynamodb-local.pid');
  killStaleProcess(pidFile, 'DynamoDBLocal.jar');
  const port = options.port || (await freePort(host));
  const emulator = emulatorDir();
  const child = spawn(
    'java',
    [
      ...(options.javaOptions ?? DYNAMODB_LOCAL_JAVA_OPTIONS),
      `-Djava.library.path=${join(emulator, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(emulator, 'DynamoDBLocal.jar'),
      ...(options.inMemory ? ['-inMemory'] : ['-sharedDb', '-dbPath', options.dataDir]),
      '-port',
      String(port),
    ],
    // DynamoDB Local writes a metadata file into its working folder: keep it with the data.
    { stdio: ['ignore', 'pipe', 'pipe'], cwd: options.dataDir },
  );
  rememberPid(pidFile, child);
  // Its last words only: what it printed last is what explains a failed start or a stop.
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (error) =>
      reject(
        new Error(
          `DynamoDB Local needs Java 17 or later on the PATH (apt-get install openjdk-17-jre-headless): ${error.message}`,
        ),
      ),
    );
    child.once('exit', (code, signal) =>
      reject(new Error(`DynamoDB Local exited during start-up (${signal ?? code}):\n${output.slice(-2000)}`)),
    );
  });
  const endpoint = `http://${host}:${port}`;
  const stop = () => stopChild(child);
  try {
    await Promise.race([failed, waitUntilAnswering(endpoint, options.startupTimeoutMs ?? 30_000)]);
  } catch (error) {
    await stop();
    throw error;
  }
  child.removeAllListeners('exit');
  let stopping = false;
  child.once('exit', (code, signal) => {
    if (!stopping)
      console.error(
        `DynamoDB Local stopped by itself (${signal ?? `exit code ${code}`}); every DynamoDB call fails until Laurel is started again:\n${output.slice(-2000)}`,
      );
  });
  return {
    endpoint,
    pid: child.pid ?? 0,
    stop: () => {
      stopping = true;
      return stop();
    },
  };
}

async function waitUntilAnswering(endpoint: string, timeoutMs: number): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'cn-north-1',
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch (error) {
        if (Date.now() > deadline)
          throw new Error(`DynamoDB Local did not answer within ${timeoutMs} ms: ${String(error)}`);
        await sleep(100);
      }
    }
  } finally {
    client.destroy();
  }
}

/**
 * Creates each table unless it exists (a restart keeps the data); a table kept from an earlier
 * version gets the indexes added since, one UpdateTable each (DynamoDB creates one index per
 * update), and an index whose projection changed is built again: DynamoDB cannot change an
 * index's projection, so it is deleted and created anew (filled from the table's items, as AWS
 * backfills a new index). Items written before keep no key of a new index until they are written again.
 */
export async function ensureTables(
  client: DynamoDBClient,
  tables: readonly CreateTableCommandInput[],
): Promise<void> {
  for (const table of tables) {
    try {
      await client.send(new CreateTableCommand(table));
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
      await matchIndexes(client, table);
    }
  }
}

/** Whether an index's projection (as DescribeTable tells it) is the one wanted. */
function sameProjection(present: Projection | undefined, wanted: Projection | undefined): boolean {
  const attributes = (p: Projection | undefined) => [...(p?.NonKeyAttributes ?? [])].sort().join(',');
  return present?.ProjectionType === wanted?.ProjectionType && attributes(present) === attributes(wanted);
}

async function matchIndexes(client: DynamoDBClient, table: CreateTableCommandInput): Promise<void> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: table.TableName }));
  const present = new Map((Table?.GlobalSecondaryIndexes ?? []).map((i) => [i.IndexName, i]));
  for (const index of table.GlobalSecondaryIndexes ?? []) {
    const existing = present.get(index.IndexName);
    if (existing && sameProjection(existing.Projection, index.Projection)) continue;
    if (existing) {
      await client.send(
        new UpdateTableCommand({
          TableName: table.TableName,
          GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: index.IndexName } }],
        }),
      );
      await untilActive(client, table.TableName, 30_000, index.IndexName);
    }
    const keys = new Set(index.KeySchema?.map((k) => k.AttributeName));
    await client.send(
      new UpdateTableCommand({
        TableName: table.TableName,
        AttributeDefinitions: table.AttributeDefinitions?.filter((a) => keys.has(a.AttributeName)),
        GlobalSecondaryIndexUpdates: [{ Create: index }],
      }),
    );
    // As in AWS, the next index (and the first write) waits until this one is built.
    await untilActive(client, table.TableName);
  }
}

/** Until the table and its indexes are active (and `gone`, an index being deleted, is no more). */
async function untilActive(
  client: DynamoDBClient,
  tableName: string | undefined,
  timeoutMs = 30_000,
  gone?: string,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const indexes = Table?.GlobalSecondaryIndexes ?? [];
    const building = indexes.some((i) => i.IndexStatus !== 'ACTIVE' || i.IndexName === gone);
    if (Table?.TableStatus === 'ACTIVE' && !building) return;
    if (Date.now() > deadline)
      throw new Error(`Table ${tableName} did not become active within ${timeoutMs} ms`);
    await sleep(100);
  }
}
