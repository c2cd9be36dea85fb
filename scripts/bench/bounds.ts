import { FUNCTIONS } from '../../functions/routes.js';
import {
  type CallerTallies,
  emptyTally,
  type OperationTally,
  sumTallies,
  type Tally,
  totals,
} from './dynamo-counter.js';
import type { TaskState } from './tasks.js';

/**
 * What bounds the store's figures: the least the round's own steps need (the floor), and where
 * the rest goes, by caller. Pure functions of the counts the benchmark took; the report prints them.
 *
 * The floor counts what the design cannot do without, from what the run did:
 * - each human decision is durable: at least one write request — every request the people sent
 *   that changes something (an `/api/` route other than GET), each file record the benchmark
 *   seeded in place of one, and each campaign-wide step (once a round);
 * - each step an execution waits in (a Task state that waits for a task token, read from the
 *   ASL) stores its token: at least one write request each time one is entered;
 * - the campaign jobs' moves are batched: at least one write request a task of theirs (a chunk);
 * - each page a person opened (a GET of an `/api/` route) reads at least one item: one read.
 * One write request writes at least one item and costs at least one write unit (an item of up to
 * 1 KB, outside a transaction, in no index), so the write units' floor is the writes' floor.
 */

/** The seeded attachment records' caller (scripts/bench/dynamo-counter.ts's callerOf). */
export const SEEDING_CALLER = 'bench seeding';

/**
 * Requests that change nothing the round decides: a sign-in (a session is no decision of the
 * round) and a presigned upload's signature (the file's record, its own request, is the decision).
 */
const NOT_DECISIONS = new Set(['POST /api/sessions', 'POST /api/nominations/{id}/uploads']);

const functionOfRoute = new Map(FUNCTIONS.flatMap((f) => f.routes.map((r) => [r.route as string, f.name])));

/** The function behind an `/api/` route, or undefined for anything else the people requested. */
export const callerOfRoute = (route: string): string | undefined => functionOfRoute.get(route);

/** `POST /api/nominations/{id}/submit` → `POST submit`: the route's last word, for a short list. */
export const shortRoute = (route: string): string => {
  const [method, path = ''] = route.split(' ');
  const word =
    path
      .split('/')
      .filter((w) => w && !w.startsWith('{'))
      .at(-1) ?? path;
  return `${method} ${word}`;
};

export interface FloorPart {
  /** What it counts: a route, `files recorded by the benchmark`, or a Task state. */
  what: string;
  caller: string;
  count: number;
}

export interface Floor {
  decisions: FloorPart[];
  waiting: FloorPart[];
  jobTasks: FloorPart[];
  pages: FloorPart[];
  /** Write requests and read requests the floor needs, in all. */
  writes: number;
  reads: number;
  byCaller: Map<string, { writes: number; reads: number }>;
}

export interface FloorInput {
  /** The six stages (setup apart): the requests the people made in each, by route. */
  stages: readonly { routes?: Readonly<Record<string, number>>; callers: CallerTallies }[];
  /** Attachment records the benchmark wrote as the record-attachment route does. */
  seededRecords: number;
  taskStates: readonly TaskState[];
  /** Lambda invocations that ran, by state: the nominations' executions and the campaign jobs'. */
  nominationTasks: ReadonlyMap<string, number>;
  jobTasks: ReadonlyMap<string, number>;
}

export function floorOf(input: FloorInput): Floor {
  const routes = new Map<string, number>();
  for (const stage of input.stages)
    for (const [route, count] of Object.entries(stage.routes ?? {}))
      routes.set(route, (routes.get(route) ?? 0) + count);
  const decisions: FloorPart[] = [];
  const pages: FloorPart[] = [];
  for (const [route, count] of routes) {
    const caller = callerOfRoute(route);
    // Not an API route (a file's presigned POST, the static public files) or a campaign-wide step
    // timed until its job is done (the same request, counted once under its own route).
    if (!caller) continue;
    if (route.startsWith('GET ')) pages.push({ what: route, caller, count });
    else if (!NOT_DECISIONS.has(route)) decisions.push({ what: route, caller, count });
  }
  if (input.seededRecords > 0)
    decisions.push({
      what: 'files recorded by the benchmark',
      caller: SEEDING_CALLER,
      count: input.seededRecords,
    });
  const ran = (machine: string, counts: ReadonlyMap<string, number>, waits: boolean | undefined) =>
    input.taskStates
      .filter((t) => t.machine === machine && (waits === undefined || t.waitsForToken === waits))
      .map((t) => ({ what: t.state, caller: t.functionName, count: counts.get(t.state) ?? 0 }))
      .filter((p) => p.count > 0);
  const waiting = ran('nomination', input.nominationTasks, true);
  const jobTasks = ran('campaign-job', input.jobTasks, undefined);
  const sum = (parts: readonly FloorPart[]) => parts.reduce((s, p) => s + p.count, 0);
  const byCaller = new Map<string, { writes: number; reads: number }>();
  const add = (parts: readonly FloorPart[], kind: 'writes' | 'reads') => {
    for (const p of parts) {
      const entry = byCaller.get(p.caller) ?? { writes: 0, reads: 0 };
      entry[kind] += p.count;
      byCaller.set(p.caller, entry);
    }
  };
  add(decisions, 'writes');
  add(waiting, 'writes');
  add(jobTasks, 'writes');
  add(pages, 'reads');
  const bySize = (a: FloorPart, b: FloorPart) => b.count - a.count || a.what.localeCompare(b.what);
  return {
    decisions: decisions.sort(bySize),
    waiting,
    jobTasks,
    pages: pages.sort(bySize),
    writes: sum(decisions) + sum(waiting) + sum(jobTasks),
    reads: sum(pages),
    byCaller,
  };
}

/**
 * A tally's write units taken apart, each part additive (they sum to `total`): one unit for each
 * write request, one for each further item a request writes, what the table charges over one unit
 * an item (items over 1 KB), what the indexes charge (each index holding an item written writes
 * it again), and the transactions' doubling (AWS charges a transaction's writes twice). A refused
 * write is counted as the least AWS charges, the table's.
 */
export interface WriteUnitParts {
  total: number;
  writeRequests: number;
  itemsWritten: number;
  /** Items beyond one a request (a transaction or a batch writes several). */
  moreItems: number;
  /** The table's units over one an item, transactions' doubling apart. */
  overOneKb: number;
  /** The indexes' units, transactions' doubling apart. */
  indexes: number;
  /** Half of what the transactions were charged: what they cost over the same writes alone. */
  doubling: number;
}

export function writeUnitParts(tally: Tally): WriteUnitParts {
  const t = totals(tally);
  const transact: OperationTally = tally.TransactWriteItems ?? emptyTally();
  const doubling = transact.writeUnits / 2;
  const indexes = t.indexWriteUnits - transact.indexWriteUnits / 2;
  const table = t.writeUnits - doubling - indexes;
  return {
    total: t.writeUnits,
    writeRequests: t.writeRequests,
    itemsWritten: t.itemsWritten,
    moreItems: t.itemsWritten - t.writeRequests,
    overOneKb: table - t.itemsWritten,
    indexes,
    doubling,
  };
}

/** Each caller's tally over the stages (the same function in several stages summed). */
export function tallyByCaller(stages: readonly { callers: CallerTallies }[]): Map<string, Tally> {
  const lists = new Map<string, Tally[]>();
  for (const stage of stages)
    for (const [caller, tally] of Object.entries(stage.callers))
      lists.set(caller, [...(lists.get(caller) ?? []), tally]);
  return new Map([...lists].map(([caller, tallies]) => [caller, sumTallies(tallies)]));
}

export interface AboveFloor {
  caller: string;
  requests: number;
  writes: number;
  writeUnits: number;
}

/** What each caller spent above its share of the floor (negative: less than the floor assumed). */
export function aboveFloorByCaller(byCaller: ReadonlyMap<string, Tally>, floor: Floor): AboveFloor[] {
  const callers = new Set([...byCaller.keys(), ...floor.byCaller.keys()]);
  return [...callers].map((caller) => {
    const t = totals(byCaller.get(caller) ?? {});
    const f = floor.byCaller.get(caller) ?? { writes: 0, reads: 0 };
    return {
      caller,
      requests: t.requests - f.writes - f.reads,
      writes: t.writeRequests - f.writes,
      writeUnits: t.writeUnits - f.writes,
    };
  });
}

/** Which Task states ran in a window of time, by the function they ran: a stage's tasks. */
export function tasksIn(
  window: { from: number; to: number },
  taskStates: readonly TaskState[],
  starts: readonly ReadonlyMap<string, readonly number[]>[],
): Map<string, Map<string, number>> {
  const functionOf = new Map(taskStates.map((t) => [t.state, t.functionName]));
  const out = new Map<string, Map<string, number>>();
  for (const byState of starts)
    for (const [state, times] of byState) {
      const count = times.filter((at) => at >= window.from && at <= window.to).length;
      const caller = functionOf.get(state);
      if (count === 0 || !caller) continue;
      const states = out.get(caller) ?? new Map<string, number>();
      states.set(state, (states.get(state) ?? 0) + count);
      out.set(caller, states);
    }
  return out;
}
