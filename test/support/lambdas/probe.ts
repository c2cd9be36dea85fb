import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/**
 * A function for tests of the local cloud's limits (test/integration/aws-limits.test.ts), built as
 * Laurel's handlers are: its SDK client reads region, endpoint and credentials from the
 * environment, so it calls as whatever principal the local cloud runs it as.
 * - `GET /api/probe/table`: reads one item of the table and says whether it was allowed;
 * - `GET /api/probe/big`: answers 7 MB (over Lambda's 6 MB);
 * - `GET /api/probe/slow`: answers after 2 s (past a 1 s timeout);
 * - as a task, `{ sleepMs }` sleeps that long, `{ resultBytes }` returns that much.
 */

type Event = Partial<APIGatewayProxyEventV2> & { sleepMs?: number; resultBytes?: number };

const json = (body: unknown) => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

export const handler = async (event: Event) => {
  if (event.sleepMs !== undefined) {
    await new Promise((resolve) => setTimeout(resolve, event.sleepMs));
    return { slept: event.sleepMs };
  }
  if (event.resultBytes !== undefined) return { filler: 'x'.repeat(event.resultBytes) };
  const what = event.rawPath?.split('/').pop();
  if (what === 'big') return json({ filler: 'x'.repeat(7 * 1024 * 1024) });
  if (what === 'slow') {
    await new Promise((resolve) => setTimeout(resolve, 2000));
    return json({ late: true });
  }
  // Built per call: two probes of one test share this module, while each function of the route
  // table has an entry (and so clients) of its own.
  const client = new DynamoDBClient({ region: process.env.AWS_REGION });
  try {
    await client.send(
      new GetItemCommand({
        TableName: process.env.LAUREL_TABLE ?? 'laurel',
        Key: { pk: { S: 'probe' }, sk: { S: 'probe' } },
      }),
    );
    return json({ allowed: true, accessKeyId: process.env.AWS_ACCESS_KEY_ID });
  } catch (error) {
    return json({ allowed: false, error: (error as Error).name, message: (error as Error).message });
  } finally {
    client.destroy();
  }
};
