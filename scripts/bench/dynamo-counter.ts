import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A counting proxy in front of DynamoDB Local, for the benchmark only: the handlers' SDK clients
 * are pointed at it (AWS_ENDPOINT_URL_DYNAMODB), so app code stays untouched. It tallies every
 * operation by its X-Amz-Target, the items each one reads and writes, and the capacity DynamoDB
 * charges for it — it adds `ReturnConsumedCapacity: TOTAL` to each request on the wire (DynamoDB
 * Local does not check request signatures) and reads the answer's ConsumedCapacity.
 *
 * DynamoDB Local charges a transaction twice what AWS does (a 1 KB Put in TransactWriteItems:
 * 4 WCU locally, 2 in AWS — AWS's rule is 2 units per item and KB), so transactional capacity is
 * halved to give AWS's figure. Plain reads and writes already match AWS's rules (consistent read:
 * 1 unit per 4 KB, eventually consistent 0.5; write: 1 per KB). Except: DynamoDB Local charges
 * several small items of one transaction as it would one (two puts of 300 bytes, or a put and an
 * update of a small item: 4 units locally, as one put; AWS charges each item, 4 in all), so a
 * transaction's or a batch's table share is counted as at least the least AWS bills for what the
 * request shows: each put item's KB rounded up, an update or a delete a unit, twice in a
 * transaction (an update growing a large item, or a put replacing one, may cost more in AWS).
 */

const TARGET_PREFIX = 'DynamoDB_20120810.';
/** Requests whose user agent carries this are the benchmark's own probes: forwarded, not counted. */
export const PROBE_USER_AGENT = 'laurel-bench-probe';
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem']);
const WRITE_OPERATIONS = new Set([...WRITES, 'BatchWriteItem', 'TransactWriteItems']);
const DATA_OPERATIONS = new Set([
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'Scan',
  'BatchGetItem',
  'BatchWriteItem',
  'TransactGetItems',
  'TransactWriteItems',
]);

export interface OperationTally {
  requests: number;
  /** Items written (a Put, Update or Delete, alone, in a batch or in a transaction). */
  itemsWritten: number;
  /** Items returned by reads (GetItem that found one, Query/Scan Count, batch and transaction gets). */
  itemsRead: number;
  /** Capacity units as AWS would charge them (read units for reads, write units for writes). */
  readUnits: number;
  writeUnits: number;
  /**
   * The part of writeUnits charged to the global secondary indexes (each index holding an item
   * written writes it again), from DynamoDB's `ReturnConsumedCapacity: INDEXES`; the rest is the
   * table's.
   */
  indexWriteUnits: number;
  /** Requests DynamoDB refused (conditional checks, transaction cancellations). */
  refused: number;
}

export type Tally = Record<string, OperationTally>;

export const emptyTally = (): OperationTally => ({
  requests: 0,
  itemsWritten: 0,
  itemsRead: 0,
  readUnits: 0,
  writeUnits: 0,
  indexWriteUnits: 0,
  refused: 0,
});

const TALLY_FIELDS = Object.keys(emptyTally()) as (keyof OperationTally)[];

/** The tally of `op`, created empty on first use. */
export function entryOf(tally: Tally, op: string): OperationTally {
  const existing = tally[op];
  if (existing) return existing;
  const created = emptyTally();
  tally[op] = created;
  return created;
}

/** Appends a sample to the list under `key`, creating the list on first use. */
export function pushTo<K>(lists: Map<K, number[]>, key: K, value: number): void {
  const list = lists.get(key);
  if (list) list.push(value);
  else lists.set(key, [value]);
}

/** The difference of two snapshots, operation by operation. */
export function difference(after: Tally, before: Tally): Tally {
  const out: Tally = {};
  for (const [op, a] of Object.entries(after)) {
    const d = emptyTally();
    addInto(d, a);
    addInto(d, before[op] ?? emptyTally(), -1);
    if (d.requests > 0) out[op] = d;
  }
  return out;
}

/** Adds one operation's figures into another's, field by field (`sign` -1 takes them away). */
function addInto(into: OperationTally, t: OperationTally, sign = 1): void {
  for (const key of TALLY_FIELDS) into[key] += sign * t[key];
}

/** Tallies added up, operation by operation. */
export function sumTallies(tallies: readonly Tally[]): Tally {
  const out: Tally = {};
  for (const tally of tallies) {
    for (const [op, t] of Object.entries(tally)) {
      addInto(entryOf(out, op), t);
    }
  }
  return out;
}

/** Totals over every operation of a tally. */
export function totals(tally: Tally): OperationTally & { writeRequests: number; readRequests: number } {
  const sum = { ...emptyTally(), writeRequests: 0, readRequests: 0 };
  for (const [op, t] of Object.entries(tally)) {
    addInto(sum, t);
    if (WRITES.has(op) || op === 'BatchWriteItem' || op === 'TransactWriteItems')
      sum.writeRequests += t.requests;
    else sum.readRequests += t.requests;
  }
  return sum;
}

/**
 * What the end of an answer says: DynamoDB puts Count and ConsumedCapacity last, so a Query page
 * of a megabyte is not parsed to read them (the proxy shares the machine with what it measures).
 */
function tailFigures(answer: Buffer): { capacity: number; count: number } {
  const tail = answer.subarray(Math.max(0, answer.length - 600)).toString('latin1');
  const at = tail.lastIndexOf('"ConsumedCapacity":');
  let capacity = 0;
  if (at >= 0) for (const m of tail.slice(at).matchAll(/"CapacityUnits":([\d.]+)/g)) capacity += Number(m[1]);
  return { capacity, count: Number(/"Count":(\d+)/.exec(tail)?.[1] ?? 0) };
}

const CAPACITY_FIRST = Buffer.from('{"ReturnConsumedCapacity":"TOTAL",');
/** The same, with each index's share apart (writeDetail): the answer then has totals and shares. */
const CAPACITY_BY_INDEX_FIRST = Buffer.from('{"ReturnConsumedCapacity":"INDEXES",');

/** The request with ReturnConsumedCapacity added (as its first member: no parse, no re-serialisation). */
function askingForCapacity(body: Buffer, byIndex = false): Buffer {
  if (body[0] !== 0x7b || body[1] === 0x7d || body.includes('"ReturnConsumedCapacity"')) return body;
  return Buffer.concat([byIndex ? CAPACITY_BY_INDEX_FIRST : CAPACITY_FIRST, body.subarray(1)]);
}

function readBody(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

/** Tallies by who sent the requests: a function's name, or the benchmark's own seeding. */
export type CallerTallies = Record<string, Tally>;

/** The difference of two snapshots by caller, caller by caller. */
export function callersDifference(after: CallerTallies, before: CallerTallies): CallerTallies {
  const out: CallerTallies = {};
  for (const [caller, tally] of Object.entries(after)) {
    const d = difference(tally, before[caller] ?? {});
    if (Object.keys(d).length > 0) out[caller] = d;
  }
  return out;
}

const FUNCTION_KEY_PREFIX = 'laurelFunction';

/**
 * Who signed a request: the local cloud gives each function its own access key
 * (`laurelFunction<Name>`, infra/local/iam.ts), so the key names the function; any other key is
 * the benchmark's own seeding of attachment records.
 */
export function callerOf(authorization: string | undefined): string {
  const key = /Credential=([^/,\s]+)\//.exec(authorization ?? '')?.[1] ?? '';
  if (!key.startsWith(FUNCTION_KEY_PREFIX)) return 'bench seeding';
  return key
    .slice(FUNCTION_KEY_PREFIX.length)
    .replace(/[A-Z]/g, (c, at: number) => `${at > 0 ? '-' : ''}${c.toLowerCase()}`);
}

export interface DynamoCounter {
  endpoint: string;
  /** Points the proxy at another DynamoDB (the local cloud started again). */
  retarget(endpoint: string): void;
  snapshot(): Tally;
  /** The same requests, tallied apart for each caller (callerOf). */
  callers(): CallerTallies;
  /** Milliseconds DynamoDB Local took per operation (proxy to DynamoDB and back), by operation. */
  latencies(): ReadonlyMap<string, readonly number[]>;
  /** With `itemDetail`: where each write's units went (table, each index) and the items' sizes, by caller. */
  writeDetail(): ReadonlyMap<string, WriteDetail>;
  stop(): Promise<void>;
}

/** The kind of an item key: its partition's and sort key's first words (`nomination item`, `session item`). */
function kindOfKey(key: unknown): string {
  const k = (key ?? {}) as { pk?: { S?: string }; sk?: { S?: string } };
  const word = (value: string | undefined) => (value ?? '?').split('#')[0];
  return `${word(k.pk?.S)} ${word(k.sk?.S)}`;
}

/**
 * What a request touched, in words: the kinds of the items it names (a Query its partition and
 * index), for telling apart the requests of one caller. Parses the request: only when asked.
 */
export function itemsTouched(op: string, request: Buffer): string {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(request.toString('utf8')) as Record<string, unknown>;
  } catch {
    return '?';
  }
  switch (op) {
    case 'GetItem':
    case 'UpdateItem':
    case 'DeleteItem':
      return kindOfKey(body.Key);
    case 'PutItem':
      return kindOfKey(body.Item);
    case 'Query': {
      const values = (body.ExpressionAttributeValues ?? {}) as Record<string, { S?: string }>;
      const partition =
        Object.values(values)
          .find((v) => v.S)
          ?.S?.split('#')[0] ?? '?';
      return `${partition}${body.IndexName ? ` on ${String(body.IndexName)}` : ''}`;
    }
    case 'TransactWriteItems':
    case 'TransactGetItems':
      return ((body.TransactItems ?? []) as Record<string, { Key?: unknown; Item?: unknown }>[])
        .map((item) =>
          Object.entries(item)
            .map(([kind, spec]) => `${kind} ${kindOfKey(spec.Key ?? spec.Item)}`)
            .join(''),
        )
        .join(' + ');
    default:
      return '';
  }
}

/**
 * Where one kind of write's units went, summed over its requests: the table's share and each
 * index's (DynamoDB's `ReturnConsumedCapacity: INDEXES`, transactions halved as above), and the
 * size of the items it put (DynamoDB's item size: names and values, as ItemSizeOf counts them).
 */
export interface WriteDetail {
  requests: number;
  units: Record<string, number>;
  itemsPut: number;
  bytesPut: number;
  largestPut: number;
}

type AttributeValue = Record<string, unknown>;

/**
 * An attribute value's size as DynamoDB counts it for capacity: a string's UTF-8 bytes, a number
 * about one byte per two digits plus one, a binary its bytes, a map or list 3 bytes plus each
 * element (a map's names too) plus one byte an element, a boolean or null one byte.
 */
function valueSize(value: AttributeValue): number {
  const [type, inner] = Object.entries(value)[0] ?? ['NULL', true];
  switch (type) {
    case 'S':
      return Buffer.byteLength(String(inner));
    case 'N':
      return Math.ceil(String(inner).replace(/^-|\.|e.*$/gi, '').length / 2) + 1;
    case 'B':
      return Buffer.from(String(inner), 'base64').length;
    case 'SS':
    case 'NS':
    case 'BS':
      return (inner as string[]).reduce((sum, v) => sum + valueSize({ [type.slice(0, 1)]: v }), 0);
    case 'M':
      return (
        3 +
        Object.entries(inner as Record<string, AttributeValue>).reduce(
          (sum, [name, v]) => sum + Buffer.byteLength(name) + valueSize(v) + 1,
          0,
        )
      );
    case 'L':
      return 3 + (inner as AttributeValue[]).reduce((sum, v) => sum + valueSize(v) + 1, 0);
    default:
      return 1;
  }
}

/** An item's size as DynamoDB charges it: each attribute's name and value. */
export const itemSize = (item: Record<string, AttributeValue>): number =>
  Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + valueSize(value), 0);

/** The items a write request puts whole (a Put, alone, in a batch or in a transaction). */
function itemsPut(op: string, body: Record<string, unknown>): Record<string, AttributeValue>[] {
  switch (op) {
    case 'PutItem':
      return [body.Item as Record<string, AttributeValue>];
    case 'TransactWriteItems':
      return ((body.TransactItems ?? []) as { Put?: { Item: Record<string, AttributeValue> } }[]).flatMap(
        (i) => (i.Put ? [i.Put.Item] : []),
      );
    case 'BatchWriteItem':
      return Object.values((body.RequestItems ?? {}) as Record<string, { PutRequest?: { Item: never } }[]>)
        .flat()
        .flatMap((r) => (r.PutRequest ? [r.PutRequest.Item] : []));
    default:
      return [];
  }
}

interface IndexedCapacity {
  Table?: { CapacityUnits?: number };
  GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
}

/**
 * The units an answer's ConsumedCapacity (asked with INDEXES) charged the table and each index;
 * undefined when the answer does not say them apart (a refusal, or capacity asked as TOTAL).
 */
function capacityByTarget(answer: Buffer, halve: boolean): Record<string, number> | undefined {
  let parsed: { ConsumedCapacity?: IndexedCapacity | IndexedCapacity[] };
  try {
    parsed = JSON.parse(answer.toString('utf8'));
  } catch {
    return undefined;
  }
  const units: Record<string, number> = {};
  const share = halve ? 0.5 : 1;
  const consumed = parsed.ConsumedCapacity;
  const entries = Array.isArray(consumed) ? consumed : consumed ? [consumed] : [];
  if (!entries.some((c) => c.Table)) return undefined;
  for (const c of entries) {
    units.table = (units.table ?? 0) + (c.Table?.CapacityUnits ?? 0) * share;
    for (const [index, v] of Object.entries(c.GlobalSecondaryIndexes ?? {}))
      units[index] = (units[index] ?? 0) + (v.CapacityUnits ?? 0) * share;
  }
  return units;
}

export interface CounterOptions {
  /**
   * Tally each caller's requests apart by the items they touch (itemsTouched), and keep where each
   * write's units went (writeDetail): parses every request and every write's answer.
   */
  itemDetail?: boolean;
}

export async function startDynamoCounter(
  target: string,
  options: CounterOptions = {},
): Promise<DynamoCounter> {
  let upstream = new URL(target);
  const newAgent = () => new Agent({ keepAlive: true, maxSockets: 128 });
  let agent = newAgent();
  const tally: Tally = {};
  const byCaller: CallerTallies = {};
  const latencies = new Map<string, number[]>();
  const writes = new Map<string, WriteDetail>();
  /**
   * Every write's answer says each index's share (the report splits write units into the table's
   * and the indexes'): a write's answer is small, so parsing it costs little; the request's items
   * are parsed for their sizes only with itemDetail.
   */
  const detailed = (op: string) => WRITE_OPERATIONS.has(op);

  const count = (op: string, caller: string, request: Buffer, status: number, answer: Buffer) => {
    const units = detailed(op) ? capacityByTarget(answer, op.startsWith('Transact')) : undefined;
    const one = measured(op, request, status, answer, units);
    if (units && status === 200 && options.itemDetail === true) noteWrite(caller, op, request, units);
    byCaller[caller] ??= {};
    for (const t of [entryOf(tally, op), entryOf(byCaller[caller], op)]) {
      t.requests += one.requests;
      t.itemsWritten += one.itemsWritten;
      t.itemsRead += one.itemsRead;
      t.readUnits += one.readUnits;
      t.writeUnits += one.writeUnits;
      t.indexWriteUnits += one.indexWriteUnits;
      t.refused += one.refused;
    }
  };

  const noteWrite = (caller: string, op: string, request: Buffer, units: Record<string, number>) => {
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(request.toString('utf8')) as Record<string, unknown>;
    } catch {}
    const detail = writes.get(caller) ?? { requests: 0, units: {}, itemsPut: 0, bytesPut: 0, largestPut: 0 };
    detail.requests += 1;
    for (const [target, value] of Object.entries(units))
      detail.units[target] = (detail.units[target] ?? 0) + value;
    for (const item of itemsPut(op, body)) {
      const size = itemSize(item);
      detail.itemsPut += 1;
      detail.bytesPut += size;
      detail.largestPut = Math.max(detail.largestPut, size);
    }
    writes.set(caller, detail);
  };

  /**
   * What one request read, wrote and cost; `indexed`, when the answer told each index's share
   * (already halved for a transaction), is what it cost in all.
   */
  const measured = (
    op: string,
    request: Buffer,
    status: number,
    answer: Buffer,
    indexed?: Record<string, number>,
  ): OperationTally => {
    const t = emptyTally();
    t.requests = 1;
    if (status !== 200) t.refused += 1;
    const { capacity: reported, count: returned } = tailFigures(answer);
    const parsed = () => {
      try {
        return JSON.parse(request.toString('utf8')) as Record<string, unknown>;
      } catch {
        return {};
      }
    };
    // The items a transaction or a batch writes (a transaction's ConditionChecks apart), each with
    // the least AWS bills the table for it: a unit per KB of a put item, rounded up (the item it
    // replaces may be larger: unknown here), a unit for an update or a delete; twice in a transaction.
    const itemUnits = (): number[] => {
      const body = parsed();
      const least = (put: Record<string, AttributeValue> | undefined) =>
        put ? Math.max(1, Math.ceil(itemSize(put) / 1024)) : 1;
      if (op === 'TransactWriteItems')
        return ((body.TransactItems ?? []) as { Put?: { Item: Record<string, AttributeValue> } }[])
          .filter((i) => !('ConditionCheck' in i))
          .map((i) => 2 * least(i.Put?.Item));
      return Object.values(
        (body.RequestItems ?? {}) as Record<
          string,
          { PutRequest?: { Item: Record<string, AttributeValue> } }[]
        >,
      )
        .flat()
        .map((r) => least(r.PutRequest?.Item));
    };
    const units = op === 'TransactWriteItems' || op === 'BatchWriteItem' ? itemUnits() : [];
    const written = () => units.length;
    const tableLeast = units.reduce((sum, u) => sum + u, 0);
    const indexShare = indexed
      ? Object.values(indexed).reduce((sum, v) => sum + v, 0) - (indexed.table ?? 0)
      : 0;
    const tableShare = indexed ? (indexed.table ?? 0) : op.startsWith('Transact') ? reported / 2 : reported;
    const capacity = Math.max(tableShare, tableLeast) + indexShare;
    // A refused write's units are the least AWS charges (below), all of them the table's.
    if (indexed && status === 200) t.indexWriteUnits = indexShare;
    switch (op) {
      case 'GetItem':
        t.itemsRead += answer.subarray(0, 8).toString() === '{"Item":' ? 1 : 0;
        t.readUnits += capacity;
        break;
      case 'Query':
      case 'Scan':
        t.itemsRead += returned;
        t.readUnits += capacity;
        break;
      case 'BatchGetItem':
      case 'TransactGetItems': {
        // Not used by Laurel today; counted the slow way.
        const responses = (JSON.parse(answer.toString('utf8')) as { Responses?: unknown }).Responses;
        t.itemsRead += Array.isArray(responses)
          ? responses.length
          : Object.values((responses ?? {}) as Record<string, unknown[]>).reduce(
              (s, items) => s + items.length,
              0,
            );
        t.readUnits += capacity;
        break;
      }
      // A refused write still costs write units in AWS while DynamoDB Local reports none: counted
      // as the least AWS charges, one unit per item (two in a transaction).
      case 'PutItem':
      case 'UpdateItem':
      case 'DeleteItem':
        t.itemsWritten += 1;
        t.writeUnits += status === 200 ? capacity : 1;
        break;
      case 'BatchWriteItem':
        t.itemsWritten += written();
        t.writeUnits += capacity;
        break;
      case 'TransactWriteItems':
        t.itemsWritten += written();
        t.writeUnits += status === 200 ? capacity : tableLeast;
        break;
    }
    return t;
  };

  type Answer = { status: number; headers: IncomingMessage['headers']; body: Buffer };
  /** To DynamoDB Local; a reused socket it had just closed is retried on a fresh one (it never read the request). */
  const forward = (
    method: string,
    path: string,
    headers: OutgoingHttpHeaders,
    body: Buffer,
    attempt = 0,
  ): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const out = httpRequest(
        { host: upstream.hostname, port: upstream.port, method, path, headers, agent },
        (response) => {
          readBody(response).then(
            (b) => resolve({ status: response.statusCode ?? 502, headers: response.headers, body: b }),
            reject,
          );
        },
      );
      out.on('error', (error: NodeJS.ErrnoException) => {
        if (out.reusedSocket && error.code === 'ECONNRESET' && attempt < 2)
          resolve(forward(method, path, headers, body, attempt + 1));
        else reject(error);
      });
      out.end(body);
    });

  const server = createServer(async (req, res) => {
    try {
      const target = String(req.headers['x-amz-target'] ?? '');
      const op = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : target;
      const received = await readBody(req);
      const body = DATA_OPERATIONS.has(op) ? askingForCapacity(received, detailed(op)) : received;
      const headers = { ...req.headers, host: upstream.host, 'content-length': String(body.length) };
      const started = performance.now();
      const answer = await forward(req.method ?? 'POST', req.url ?? '/', headers, body);
      const probe = `${req.headers['user-agent'] ?? ''} ${req.headers['x-amz-user-agent'] ?? ''}`.includes(
        PROBE_USER_AGENT,
      );
      if (probe) {
        // Not the system's work: left out of the tally.
      } else if (DATA_OPERATIONS.has(op)) {
        pushTo(latencies, op, performance.now() - started);
        const caller = callerOf(req.headers.authorization);
        count(
          op,
          options.itemDetail ? `${caller} · ${op} ${itemsTouched(op, received)}` : caller,
          received,
          answer.status,
          answer.body,
        );
      } else if (op) {
        entryOf(tally, op).requests += 1;
      }
      const { 'content-length': _length, 'transfer-encoding': _encoding, ...rest } = answer.headers;
      res.writeHead(answer.status, { ...rest, 'content-length': String(answer.body.length) });
      res.end(answer.body);
    } catch (error) {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify({ __type: 'BenchProxyError', message: String(error) }));
    }
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    retarget(endpoint) {
      upstream = new URL(endpoint);
      agent.destroy();
      agent = newAgent();
    },
    snapshot: () => structuredClone(tally),
    callers: () => structuredClone(byCaller),
    latencies: () => latencies,
    writeDetail: () => structuredClone(writes),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}
