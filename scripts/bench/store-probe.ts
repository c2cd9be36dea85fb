import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { PROBE_USER_AGENT } from './dynamo-counter.js';
import { Latencies } from './stats.js';

/**
 * The store round trips a submit cannot avoid, measured in the same run while units submit: a
 * consistent GetItem of a nomination, then a TransactWriteItems of the submit's shape — the
 * nomination (conditional on its version, with both index keys), the quota ledger (conditional
 * ADD) and the audit event (put if absent) — one pair after another, through the same counting
 * proxy the handlers use (and left out of its tally), on keys of their own.
 */

export interface ProbeResult {
  pairs: number;
  /** Milliseconds: 'get', 'transact', and 'pair' (both together). */
  latencies: Latencies;
}

export function startStoreProbe(options: {
  endpoint: string;
  tableName: string;
  /** A nomination as stored, for realistic item sizes. */
  sample: Record<string, unknown>;
  /** Pause between pairs, so the probe adds little load. */
  pauseMs?: number;
}): { stop(): Promise<ProbeResult> } {
  const client = new DynamoDBClient({
    endpoint: options.endpoint,
    region: 'cn-north-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    customUserAgent: PROBE_USER_AGENT,
  });
  const documents = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
  const latencies = new Latencies();
  const id = `bench-probe-${process.pid}`;
  let running = true;
  let pairs = 0;

  const loop = (async () => {
    let version = 0;
    while (running) {
      const at = new Date().toISOString();
      const pairStarted = performance.now();
      await latencies.time('get', () =>
        documents.send(
          new GetCommand({
            TableName: options.tableName,
            Key: { pk: `nomination#${id}`, sk: 'item' },
            ConsistentRead: true,
          }),
        ),
      );
      await latencies.time('transact', () =>
        documents.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: options.tableName,
                  Item: {
                    pk: `nomination#${id}`,
                    sk: 'item',
                    version: version + 1,
                    data: { ...options.sample, id, version: version + 1, updatedAt: at },
                    gsi1pk: 'bench-probe#status#submitted',
                    gsi1sk: `volunteer#${at}#${id}`,
                    gsi2pk: 'bench-probe#unit',
                    gsi2sk: `${at}#${id}`,
                  },
                  ConditionExpression: 'attribute_not_exists(version) OR version = :expected',
                  ExpressionAttributeValues: { ':expected': version },
                },
              },
              {
                Update: {
                  TableName: options.tableName,
                  Key: { pk: `quota#bench-probe#${id}`, sk: 'volunteer' },
                  UpdateExpression: 'ADD used :delta',
                  ConditionExpression: 'attribute_not_exists(used) OR used < :limit',
                  ExpressionAttributeValues: { ':delta': 1, ':limit': 1_000_000_000 },
                },
              },
              {
                Put: {
                  TableName: options.tableName,
                  Item: {
                    pk: `nomination#${id}`,
                    sk: `audit#${at}#submit-${pairs}`,
                    data: { nominationId: id, at, action: 'submit' },
                  },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
            ],
          }),
        ),
      );
      version += 1;
      pairs += 1;
      latencies.add('pair', performance.now() - pairStarted);
      await new Promise((resolve) => setTimeout(resolve, options.pauseMs ?? 50));
    }
  })();

  return {
    async stop() {
      running = false;
      await loop;
      documents.destroy();
      return { pairs, latencies };
    },
  };
}
