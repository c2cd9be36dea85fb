import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { seeded } from './faults.js';
import { accessKeyOf, type LocalIam } from './iam.js';

/**
 * The DynamoDB endpoint the functions talk to, in front of DynamoDB Local, adding what AWS does
 * and DynamoDB Local does not:
 * - IAM: every operation is checked against the caller's grants (table, index), as
 *   infra/local/iam.ts says, and refused with DynamoDB's AccessDeniedException;
 * - optionally (LAUREL_FAULT_RATE), the trouble a busy table gives on a share of writes:
 *   TransactWriteItems cancelled by a `TransactionConflict`, other writes answered with
 *   ThrottlingException or ProvisionedThroughputExceededException. An identical request is never
 *   refused more than twice in a row, so the SDK's and the adapters' own retries get through.
 */

const TARGET_PREFIX = 'DynamoDB_20120810.';
const JSON_TYPE = 'application/x-amz-json-1.0';
const MAX_CONSECUTIVE = 2;

type Body = Record<string, unknown>;
interface Check {
  action: string;
  table: string;
  index?: string;
}

const tableOf = (value: unknown) => (typeof value === 'string' ? value : '');

/** Each action an operation needs, on each table or index it names (as IAM evaluates them). */
export function requiredActions(operation: string, body: Body): Check[] {
  const single = (action: string): Check[] => [
    {
      action,
      table: tableOf(body.TableName),
      ...(typeof body.IndexName === 'string' ? { index: body.IndexName } : {}),
    },
  ];
  switch (operation) {
    case 'TransactWriteItems':
      return ((body.TransactItems ?? []) as Record<string, { TableName?: string }>[]).flatMap((item) =>
        Object.entries(item).map(([kind, spec]) => ({
          action:
            {
              Put: 'dynamodb:PutItem',
              Update: 'dynamodb:UpdateItem',
              Delete: 'dynamodb:DeleteItem',
              ConditionCheck: 'dynamodb:ConditionCheckItem',
            }[kind] ?? `dynamodb:${kind}`,
          table: tableOf(spec.TableName),
        })),
      );
    case 'TransactGetItems':
      return ((body.TransactItems ?? []) as { Get?: { TableName?: string } }[]).map((item) => ({
        action: 'dynamodb:GetItem',
        table: tableOf(item.Get?.TableName),
      }));
    case 'BatchGetItem':
    case 'BatchWriteItem':
      return Object.keys((body.RequestItems ?? {}) as Body).map((table) => ({
        action: `dynamodb:${operation}`,
        table,
      }));
    case 'ListTables':
      return [{ action: 'dynamodb:ListTables', table: '*' }];
    default:
      return single(`dynamodb:${operation}`);
  }
}

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

export interface DynamoDbFaults {
  /** Share of writes refused, 0–1. */
  rate: number;
  seed: number;
  /** Where the counts are kept (they add up across restarts on the same folder). */
  reportFile?: string;
}

export interface DynamoDbGateway {
  endpoint: string;
  stop(): Promise<void>;
}

function answer(res: ServerResponse, status: number, body: Body): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startDynamoDbGateway(options: {
  upstream: string;
  iam: LocalIam;
  region: string;
  account: string;
  faults?: DynamoDbFaults;
  host?: string;
}): Promise<DynamoDbGateway> {
  const upstream = new URL(options.upstream);
  const agent = new Agent({ keepAlive: true });
  const tableArn = (table: string, index?: string) =>
    table === '*'
      ? '*'
      : `arn:${options.iam.partition}:dynamodb:${options.region}:${options.account}:table/${table}${index ? `/index/${index}` : ''}`;

  const random = seeded(options.faults?.seed ?? 1);
  const streak = new Map<string, number>();
  const counts = { conflicts: 0, throttles: 0 };
  const reportFile = options.faults?.reportFile;
  if (reportFile && existsSync(reportFile)) {
    Object.assign(counts, JSON.parse(readFileSync(reportFile, 'utf8')) as typeof counts);
  }
  const report = () => reportFile && writeFileSync(reportFile, JSON.stringify(counts));

  /** A refusal AWS could give this write now, or undefined to let it through. */
  const injectedFault = (operation: string, body: Body): [number, Body] | undefined => {
    const faults = options.faults;
    if (!faults || faults.rate <= 0 || !WRITES.has(operation)) return undefined;
    // The same write sent again: the SDK gives each TransactWriteItems a new ClientRequestToken.
    const { ClientRequestToken: _token, ...request } = body;
    const key = createHash('sha256').update(operation).update(JSON.stringify(request)).digest('hex');
    const failing = (streak.get(key) ?? 0) < MAX_CONSECUTIVE && random() < faults.rate;
    if (!failing) {
      streak.delete(key);
      return undefined;
    }
    streak.set(key, (streak.get(key) ?? 0) + 1);
    if (operation === 'TransactWriteItems') {
      const items = (body.TransactItems ?? []) as unknown[];
      const conflicted = Math.floor(random() * items.length);
      counts.conflicts += 1;
      report();
      const reasons = items.map((_, i) =>
        i === conflicted
          ? { Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' }
          : { Code: 'None' },
      );
      return [
        400,
        {
          __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
          Message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
          CancellationReasons: reasons,
        },
      ];
    }
    counts.throttles += 1;
    report();
    return random() < 0.5
      ? [
          400,
          {
            __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException',
            message: 'Throughput exceeds the current capacity for one or more global secondary indexes.',
          },
        ]
      : [
          400,
          {
            __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
            message:
              'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
          },
        ];
  };

  const forward = (req: IncomingMessage, res: ServerResponse, raw: Buffer) =>
    new Promise<void>((resolve) => {
      const headers = { ...req.headers, host: upstream.host, 'content-length': String(raw.length) };
      delete headers.connection;
      const outgoing = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers,
          agent,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 500, answer.headers);
          answer.pipe(res);
          answer.on('end', resolve);
          answer.on('error', () => {
            res.destroy();
            resolve();
          });
        },
      );
      outgoing.on('error', () => {
        answer(res, 500, {
          __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
          message: 'DynamoDB Local did not answer',
        });
        resolve();
      });
      outgoing.end(raw);
    });

  const server = createServer(async (req, res) => {
    try {
      const raw = await readAll(req);
      const target = String(req.headers['x-amz-target'] ?? '');
      const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
      let body: Body = {};
      try {
        body = raw.length > 0 ? (JSON.parse(raw.toString('utf8')) as Body) : {};
      } catch {
        // DynamoDB Local answers malformed bodies itself.
      }
      const accessKey = accessKeyOf(req.headers.authorization);
      for (const check of requiredActions(operation, body)) {
        const denial = options.iam.authorize(accessKey, check.action, tableArn(check.table, check.index));
        if (denial) {
          answer(res, 400, {
            __type: 'com.amazon.coral.service#AccessDeniedException',
            Message: denial.message,
          });
          return;
        }
      }
      const isFunction = accessKey !== undefined && accessKey !== 'local';
      const fault = isFunction ? injectedFault(operation, body) : undefined;
      if (fault) {
        answer(res, fault[0], fault[1]);
        return;
      }
      await forward(req, res, raw);
    } catch (error) {
      if (!res.headersSent)
        answer(res, 500, {
          __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
          message: String(error),
        });
      else res.destroy();
    }
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${host}:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}
