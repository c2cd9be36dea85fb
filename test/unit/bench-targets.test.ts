import { describe, expect, it } from 'vitest';
import type { Tally } from '../../scripts/bench/dynamo-counter.js';
import {
  type BundleFigure,
  coldImportBound,
  type Figures,
  README_COST_MARKS,
  readmeCostTable,
  sumTallies,
  type Target,
  targetLines,
  targets,
  withCostTable,
} from '../../scripts/bench/report.js';
import { Latencies } from '../../scripts/bench/stats.js';
import { op } from '../support/bench-tally.js';

/** The bench's PASS/FAIL logic on made-up figures: every target met, each one missed, and nothing measured. */

const MIB = 1024 * 1024;

interface Made {
  nominations?: number;
  endToEndMs?: number;
  submitMs?: number[];
  pairMs?: number[];
  executions?: number;
  maxTransitions?: number;
  stageTally?: Tally;
  /** The stage's requests by caller; default: all of stageTally sent by `nominations`. */
  stageCallers?: Record<string, Tally>;
  /** The people's requests in the stage, by route. */
  stageRoutes?: Record<string, number>;
  seeded?: number;
  setupTally?: Tally;
  bundles?: Figures['bundles'];
  largestBytes?: number;
  rankingMs?: number[];
  otherMs?: number;
  visits?: number;
  visitRequests?: number;
  costPerNomination?: number;
  cloudPeak?: number;
  javaPeak?: number;
  cloudHeap?: NonNullable<Figures['memory']['cloudHeap']>;
  cpu?: { bench: number; cloud: number; java: number };
}

function figures(m: Made = {}): Figures {
  const latencies = new Latencies();
  for (const ms of m.submitMs ?? [20, 25, 30]) latencies.add('POST /api/nominations/{id}/submit', ms);
  for (const ms of m.rankingMs ?? [300, 800]) latencies.add('GET /api/campaigns/{campaignId}/ranking', ms);
  latencies.add('GET /api/campaigns/{campaignId}/nominations', m.otherMs ?? 400);
  // Neither one API request nor an API at all: never the slowest request.
  latencies.add('POST /api/campaigns/{campaignId}/selection until its job is done', 60_000);
  latencies.add('GET /published/{campaignId}/publicity.json', 9_000);
  const probe = new Latencies();
  for (const ms of m.pairMs ?? [10, 12, 15]) probe.add('pair', ms);
  const max = m.maxTransitions ?? 22;
  const stageTally = m.stageTally ?? { TransactWriteItems: op(3000, 12_000, 60_000), GetItem: op(6000) };
  return {
    settings: { nominations: m.nominations ?? 3000 },
    endToEndMs: m.endToEndMs ?? 45_000,
    latencies,
    probe: { pairs: 3, latencies: probe },
    sfn: {
      executions: m.executions ?? 3000,
      perExecution: { min: 10, mean: 18, max },
      stateTransitions: (m.executions ?? 3000) * 18,
      taskInvocations: new Map(),
      throttled: new Map(),
      taskStarts: new Map(),
    },
    setup: { tally: m.setupTally ?? { PutItem: op(100, 100) } },
    date: new Date('2026-12-05T08:00:00Z'),
    machine: { cpus: 2, code: 'abc1234' },
    stages: [
      {
        name: '1. submission',
        startedAt: 1_000,
        ms: 45_000,
        cpu: m.cpu ?? { bench: 30, cloud: 20, java: 10 },
        tally: stageTally,
        callers: m.stageCallers ?? { nominations: stageTally },
        routes: m.stageRoutes ?? {},
      },
    ],
    uploads: { realNominations: 0, real: 0, realBytes: 0, seeded: m.seeded ?? 0 },
    taskStates: [
      {
        machine: 'nomination',
        state: 'ValidateSubmission',
        functionName: 'validate-submission',
        waitsForToken: false,
      },
      { machine: 'nomination', state: 'AwaitScreening', functionName: 'await-step', waitsForToken: true },
      { machine: 'campaign-job', state: 'ApplyChunk', functionName: 'campaign-job', waitsForToken: false },
    ],
    jobs: {
      stateTransitions: 0,
      taskInvocations: new Map(),
      taskStarts: new Map(),
    },
    memory: {
      benchPeak: 300 * MIB,
      cloudPeak: m.cloudPeak ?? 500 * MIB,
      javaPeak: m.javaPeak ?? 700 * MIB,
      ...(m.cloudHeap && { cloudHeap: m.cloudHeap }),
    },
    cost: {
      lines: [
        {
          service: 'DynamoDB (on demand)',
          basis: '20 WRU',
          perNomination: (m.costPerNomination ?? 0.0005) / 2,
        },
        {
          service: 'Lambda (arm64)',
          basis: '9 invocations',
          perNomination: (m.costPerNomination ?? 0.0005) / 2,
        },
        // Storage is no compute or request: never counted against the target, however large.
        { service: 'S3 storage (Standard)', basis: '5.0 MB kept', perNomination: 0.005, storage: true },
      ],
      perNomination: (m.costPerNomination ?? 0.0005) + 0.005,
      computeAndRequests: m.costPerNomination ?? 0.0005,
    },
    largestResponse: {
      bytes: m.largestBytes ?? 200_000,
      request: 'GET /api/campaigns/cast-2024/nominations',
    },
    publicNotice: {
      visits: m.visits ?? 40,
      tableReads: m.visitRequests ?? 0,
      tableRequests: m.visitRequests ?? 0,
    },
    bundles: m.bundles ?? {
      rows: [
        { name: 'nominations', bytes: 250_000, coldImportMs: 60, api: true },
        { name: 'tasks', bytes: 290_000, coldImportMs: 70, api: false },
      ],
      bareNodeMs: 30,
      budgetBytes: 300_000,
    },
  } as unknown as Figures;
}

/**
 * A round of 100 whose store figures miss: each caller's requests, the people's requests by route
 * (sign-ins, presigned uploads, file POSTs to S3 and a job followed to its end among them: no
 * decisions), 30 records seeded, a waiting step and a job chunk a nomination and a round.
 */
function boundedRound(): Figures {
  const callers: Record<string, Tally> = {
    nominations: { TransactWriteItems: op(2000, 4000, 16_000, 3000), GetItem: op(2000), Query: op(1000) },
    attachments: { PutItem: op(10, 10, 10) },
    'bench seeding': { PutItem: op(30, 30, 30), GetItem: op(30) },
    'await-step': { PutItem: op(200, 200, 400) },
    'campaign-job': { TransactWriteItems: op(1, 100, 200) },
    'validate-submission': { GetItem: op(100) },
    sessions: { PutItem: op(5, 5, 5) },
  };
  const f = figures({
    nominations: 100,
    stageTally: sumTallies(Object.values(callers)),
    stageCallers: callers,
    seeded: 30,
    stageRoutes: {
      'POST /api/nominations': 100,
      'PUT /api/nominations/{id}/form': 100,
      'POST /api/nominations/{id}/submit': 100,
      'GET /api/nominations/{id}': 100,
      'POST /api/sessions': 5,
      'POST /api/nominations/{id}/uploads': 10,
      'S3 presigned POST': 10,
      'POST /api/nominations/{id}/attachments': 10,
      'POST /api/campaigns/{campaignId}/selection until its job is done': 1,
    },
  });
  f.sfn.taskInvocations = new Map([
    ['ValidateSubmission', 100],
    ['AwaitScreening', 100],
  ]);
  f.jobs.taskInvocations = new Map([['ApplyChunk', 1]]);
  return f;
}

const verdicts = (list: Target[]) => list.map((t) => t.pass);
const passOf = (list: Target[], start: string) => {
  const found = list.filter((t) => t.line.startsWith(start));
  expect(found).toHaveLength(1);
  return found[0]?.pass;
};

describe('bench targets', () => {
  it('passes all sixteen when every figure is within its target', () => {
    const list = targets(figures());
    expect(list).toHaveLength(16);
    expect(verdicts(list)).toEqual(Array(16).fill(true));
    expect(targetLines(list)[0]).toMatch(/^PASS {2}end to end: 3,000 nominations in 45\.0 s/);
  });

  it('fails each target on its own figure, with the limits inclusive', () => {
    expect(passOf(targets(figures({ endToEndMs: 300_000 })), 'end to end:')).toBe(true);
    expect(passOf(targets(figures({ endToEndMs: 300_001 })), 'end to end:')).toBe(false);
    expect(passOf(targets(figures({ endToEndMs: 60_000 })), 'end to end, the goal')).toBe(true);
    expect(passOf(targets(figures({ endToEndMs: 60_001 })), 'end to end, the goal')).toBe(false);
    expect(passOf(targets(figures({ submitMs: [45], pairMs: [15] })), 'submit p99')).toBe(true);
    expect(passOf(targets(figures({ submitMs: [46], pairMs: [15] })), 'submit p99')).toBe(false);
    expect(passOf(targets(figures({ maxTransitions: 30 })), 'state transitions')).toBe(true);
    expect(passOf(targets(figures({ maxTransitions: 31 })), 'state transitions')).toBe(false);
    const writes = (requests: number) => ({ TransactWriteItems: op(requests, 2 * requests) });
    expect(passOf(targets(figures({ stageTally: writes(45_000) })), 'DynamoDB write requests')).toBe(true);
    expect(passOf(targets(figures({ stageTally: writes(45_001) })), 'DynamoDB write requests')).toBe(false);
    expect(passOf(targets(figures({ setupTally: { Scan: op(1) } })), 'Scans')).toBe(false);
    const bundle = (bytes: number, coldImportMs: number) => ({
      rows: [{ name: 'nominations', bytes, coldImportMs, api: true }] as BundleFigure[],
      bareNodeMs: 30,
      budgetBytes: 300_000,
    });
    const bundleVerdicts = (list: Target[]) => [passOf(list, 'bundles:'), passOf(list, 'cold import')];
    expect(bundleVerdicts(targets(figures({ bundles: bundle(300_000, 90) })))).toEqual([true, true]);
    expect(bundleVerdicts(targets(figures({ bundles: bundle(300_001, 91) })))).toEqual([false, false]);
    // A document function is held to neither: its libraries alone are most of a megabyte.
    const withDocuments = bundle(300_000, 90);
    withDocuments.rows.push({
      name: 'form-docx',
      bytes: 1_600_000,
      coldImportMs: 400,
      api: true,
      documents: true,
    });
    expect(bundleVerdicts(targets(figures({ bundles: withDocuments })))).toEqual([true, true]);
    // A task is held to the ceiling as an API function is.
    const bigTask = bundle(300_000, 90);
    bigTask.rows.push({ name: 'pipeline-step', bytes: 300_001, coldImportMs: 90, api: false });
    expect(passOf(targets(figures({ bundles: bigTask })), 'bundles:')).toBe(false);
    withDocuments.rows.push({
      name: 'screening',
      bytes: 300_001,
      coldImportMs: 91,
      api: true,
      documents: false,
    });
    expect(bundleVerdicts(targets(figures({ bundles: withDocuments })))).toEqual([false, false]);
    const failed = targetLines(targets(figures({ bundles: { error: 'esbuild missing' } }))).filter((l) =>
      l.includes('not measured'),
    );
    expect(failed).toEqual([
      'FAIL  bundles ≤ 1 MB minified: not measured (esbuild missing)',
      'FAIL  cold import ≤ 3 × bare node: not measured (esbuild missing)',
    ]);
  });

  it("holds the six stages to issue 20's DynamoDB budget per nomination, each limit inclusive", () => {
    // 3,000 nominations: 45 requests, 15 write requests, 15 GetItem and 150 write units each.
    const tally = (reads: number, writes: number, wru: number) => ({
      GetItem: op(reads),
      TransactWriteItems: op(writes, writes, wru),
    });
    const at = (t: Tally, start: string) => passOf(targets(figures({ stageTally: t })), start);
    expect(at(tally(90_000, 45_000, 0), 'DynamoDB requests')).toBe(true);
    expect(at({ ...tally(90_000, 45_000, 0), Query: op(1) }, 'DynamoDB requests')).toBe(false);
    expect(at(tally(45_000, 0, 0), 'DynamoDB GetItem')).toBe(true);
    expect(at(tally(45_001, 0, 0), 'DynamoDB GetItem')).toBe(false);
    // Queries are reads but not GetItem.
    expect(at({ Query: op(60_000) }, 'DynamoDB GetItem')).toBe(true);
    expect(at(tally(0, 3000, 450_000), 'DynamoDB write units')).toBe(true);
    expect(at(tally(0, 3000, 450_001), 'DynamoDB write units')).toBe(false);
  });

  it('says what bounds each DynamoDB miss: the floor counted from the round and, above it, the callers', () => {
    const f = boundedRound();
    const lines = targetLines(targets(f));
    const of = (start: string) => lines.find((l) => l.startsWith(start));
    // 441 writes the round needs: 300 decisions by route, 10 files recorded and 30 seeded, 100 tokens, 1 job chunk.
    expect(of('FAIL  DynamoDB requests')).toBe(
      "FAIL  DynamoDB requests per nomination: 53.8 (31.3 reads, 22.5 writes) (target ≤ 45); floor 5.4: the 4.4 writes of the next line's floor and 1.0 pages people opened, a read each; the rest, 48.4, most in nominations +46.0, await-step +1.0, validate-submission +1.0 (see DynamoDB by caller)",
    );
    expect(of('FAIL  DynamoDB write requests')).toBe(
      'FAIL  DynamoDB write requests per nomination: 22.5, writing 43.5 items (target ≤ 15); floor 4.4: 3.4 human decisions (1.00 POST nominations, 1.00 POST submit, 1.00 PUT form, 0.30 files recorded by the benchmark, 0.10 POST attachments), 1.0 waiting steps storing their tokens (1.00 AwaitScreening) and 0.01 campaign-job tasks (their moves batched, a chunk a task); the rest, 18.1, most in nominations +17.0, await-step +1.0, sessions +0.1',
    );
    expect(of('FAIL  DynamoDB write units')).toBe(
      "FAIL  DynamoDB write units per nomination: 166.4 WRU for 43.5 items written (162.0 WRU of it in transactions, which cost double) (target ≤ 150); floor 4.4: a unit for each write of the floor (an item of at most 1 KB, in no index, outside a transaction); the rest, 162.0: 18.1 for write requests over the floor, 21.0 for items beyond one a request, 27.0 for items over 1 KB, 15.0 for the indexes holding them, 81.0 for transactions' doubling; most in nominations +157.0, await-step +3.0, campaign-job +2.0",
    );
  });

  it('holds AWS compute and requests to $0.001 a nomination, saying each share and the count that drives it when over', () => {
    expect(passOf(targets(figures({ costPerNomination: 0.001 })), 'AWS compute')).toBe(true);
    expect(passOf(targets(figures({ costPerNomination: 0.0010001 })), 'AWS compute')).toBe(false);
    const line = targetLines(targets(figures({ costPerNomination: 0.002 }))).find((l) =>
      l.includes('AWS compute'),
    );
    expect(line).toBe(
      'FAIL  AWS compute and requests per nomination: $0.002000 at us-east-1 list prices, S3 storage apart (target ≤ $0.001000); over by $0.001000; by share: DynamoDB (on demand) $0.001000 50 % (20 WRU); Lambda (arm64) $0.001000 50 % (9 invocations)',
    );
    // A round of 100: the mails by what they tell, the transitions with the throttled retries
    // apart, and the services under a twentieth together.
    const f = figures({ nominations: 100 });
    f.cost = {
      lines: [
        { service: 'SES', basis: '4.2 mails per nomination', perNomination: 0.00042 },
        { service: 'Step Functions (Standard)', basis: '15.6 transitions', perNomination: 0.00039 },
        { service: 'DynamoDB (on demand)', basis: '188 WRU + 160 RRU', perNomination: 0.00014 },
        { service: 'API Gateway (HTTP API)', basis: '26 requests', perNomination: 0.00003 },
        { service: 'S3 requests', basis: '4 PUT', perNomination: 0.00002 },
        { service: 'S3 storage (Standard)', basis: '5.0 MB kept', perNomination: 0.0013, storage: true },
      ],
      perNomination: 0.0023,
      computeAndRequests: 0.001,
    };
    f.cost.computeAndRequests = 0.0011;
    f.outcome = {
      mails: 420,
      mailKinds: new Map([
        ['Review request', 300],
        ['Your sign-in link', 41],
        ['Released', 40],
        ['Selected', 39],
      ]),
    } as unknown as Figures['outcome'];
    f.sfn.stateTransitions = 1556;
    f.sfn.throttled = new Map([['AssignExperts', 558]]);
    f.jobs.stateTransitions = 7;
    expect(targetLines(targets(f)).find((l) => l.includes('AWS compute'))).toBe(
      "FAIL  AWS compute and requests per nomination: $0.001100 at us-east-1 list prices, S3 storage apart (target ≤ $0.001000); over by $0.000100; by share: SES $0.000420 38 % (4.20 mails: 3.00 Review request, 0.41 Your sign-in link, 0.79 the rest); Step Functions (Standard) $0.000390 35 % (15.63 transitions: 9.98 the executions' states entered (and retries on error), 5.58 throttled task attempts retried (AssignExperts 5.58), 0.07 the campaign jobs'); DynamoDB (on demand) $0.000140 13 % (188 WRU + 160 RRU); the rest $0.000050 (API Gateway (HTTP API), S3 requests)",
    );
  });

  it('says what bounds the slowest cold import: its size at the leanest rate a kB, the rest its work at import', () => {
    const rows: BundleFigure[] = [
      { name: 'not-found', bytes: 200_000, coldImportMs: 32, api: false },
      { name: 'reviews', bytes: 1_000_000, coldImportMs: 130, api: true },
    ];
    const line = targetLines(
      targets(figures({ bundles: { rows, bareNodeMs: 30, budgetBytes: 1_000_000 } })),
    ).find((l) => l.includes('cold import'));
    // not-found: 2 ms over bare node for 200 kB, 0.01 ms a kB; reviews' 1,000 kB at that rate 10 ms of its 100 ms.
    expect(line).toBe(
      "FAIL  cold import: slowest reviews 130.0 ms = 4.3 × bare node (30.0 ms); over: reviews (target ≤ 3 ×); bounded by what its modules run at import, not by its size: reviews takes 100.0 ms over bare node for 1000 kB; at the least any other bundle took a kB (not-found: 200 kB in 2.00 ms over bare node, 0.010 ms a kB) its size explains at most 10.0 ms, the other 90.0 ms is its modules' work at import",
    );
    // As lean a kB as the leanest other: its size may explain it all, which decides nothing.
    expect(coldImportBound(rows, { name: 'big', bytes: 2_000_000, coldImportMs: 50 }, 30)).toMatch(
      /^big takes 20\.0 ms .* at most 20\.0 ms, its modules' work at import at least 0\.00 ms: neither shown/,
    );
    // Never measured against itself, nor by a bundle no slower than bare node (noise): its size and
    // its work said together, never nothing (a FAIL line says what bounds it).
    const together =
      "bounded by its size and its modules' work at import together: reviews takes 100.0 ms over bare node for 1000 kB, and no other bundle timed over bare node tells what a kB costs";
    expect(coldImportBound([rows[1] as BundleFigure], rows[1] as BundleFigure, 30)).toBe(together);
    expect(
      coldImportBound(
        [{ name: 'quick', bytes: 100_000, coldImportMs: 29 }, rows[1] as BundleFigure],
        rows[1] as BundleFigure,
        30,
      ),
    ).toBe(together);
  });

  it('holds each cold import to the bare node runs timed beside it, not to one bare figure taken before', () => {
    // The machine's load moved between the bare figure (30 ms) and the imports: each import's own
    // bare runs say how much.
    const rows: BundleFigure[] = [
      { name: 'await-step', bytes: 700_000, coldImportMs: 100, bareNodeMs: 40, api: false },
      { name: 'campaign-job', bytes: 700_000, coldImportMs: 110, bareNodeMs: 33, api: false },
    ];
    const line = targetLines(
      targets(figures({ bundles: { rows, bareNodeMs: 30, budgetBytes: 1_000_000 } })),
    ).find((l) => l.includes('cold import'));
    // campaign-job is 3.3 × its own 33 ms: over; await-step 2.5 × its 40 ms (against the 30 ms figure, 3.3 ×).
    expect(line).toMatch(
      /^FAIL {2}cold import: slowest campaign-job 110\.0 ms = 3\.3 × bare node \(33\.0 ms, timed beside it\); over: campaign-job \(target ≤ 3 ×\); campaign-job takes 77\.0 ms over bare node/,
    );
    // Against the 30 ms figure both would fail: 3.7 × and 3.3 ×.
    const quieter = rows.map((r) => (r.name === 'campaign-job' ? { ...r, bareNodeMs: 37 } : r));
    const verdict = targetLines(
      targets(figures({ bundles: { rows: quieter, bareNodeMs: 30, budgetBytes: 1_000_000 } })),
    ).find((l) => l.includes('cold import'));
    expect(verdict).toMatch(
      /^PASS {2}cold import: slowest campaign-job 110\.0 ms = 3\.0 × bare node \(37\.0 ms/,
    );
  });

  it("holds the local cloud's Node and Java together to 1.5 GB of peak RSS", () => {
    const memory = (cloud: number, java: number) =>
      passOf(targets(figures({ cloudPeak: cloud, javaPeak: java })), "the local cloud's peak memory");
    expect(memory(512 * MIB, 1024 * MIB)).toBe(true);
    expect(memory(512 * MIB, 1024 * MIB + 1)).toBe(false);
    // The JVM is part of the local cloud: a figure without it is not a measurement.
    expect(memory(512 * MIB, 0)).toBe(false);
  });

  it("states the Node heap's figures each against what limits it: the old generation against its cap, the whole heap against V8's limit", () => {
    // The whole heap in use may pass --max-old-space-size: the cap is the old generation's alone.
    const cloudHeap = {
      peakLiveBytes: 842 * MIB,
      peakOldGenerationBytes: 700 * MIB,
      limitBytes: 768 * MIB,
      heapLimitBytes: 864 * MIB,
    };
    const line = targetLines(targets(figures({ cloudHeap }))).find((l) => l.includes('peak memory'));
    expect(line).toContain(
      "; Node's heap after a full collection: its old generation at most 700 MiB of the 768 MiB --max-old-space-size caps it at, the whole heap at most 842 MiB live of V8's 864 MiB limit (the cap and the young generation's room)",
    );
    expect(line).not.toMatch(/of its 768 MiB limit/);
  });

  it('says what bounds the end-to-end time: CPU when the cores were busy, waiting when not', () => {
    // 3,000 nominations, 30 CPU-s of system work in 300 s on 2 cores: 5 % busy with the bench's 30.
    const waiting = targetLines(targets(figures({ endToEndMs: 600_000 }))).find((l) =>
      l.includes('the goal'),
    );
    expect(waiting).toBe(
      "FAIL  end to end, the goal: 600.0 s (goal ≤ 60 s on 2 cores); bounded by waiting as much as by CPU: the 2 cores were only 5 % busy; CPU-s per nomination: cloud (Node) 0.007, DynamoDB Local (Java) 0.003, bench 0.010; at the system's 0.010 CPU-s per nomination 3,000 take at least 15.0 s on 2 cores (60 s needs ≤ 0.040)",
    );
    const busy = targetLines(
      targets(figures({ endToEndMs: 400_000, cpu: { bench: 100, cloud: 400, java: 300 } })),
    ).find((l) => l.startsWith('FAIL  end to end:'));
    expect(busy).toContain('bounded by CPU: the 2 cores were 100 % busy');
    expect(busy).toContain('3,000 take at least 350.0 s on 2 cores');
    // One core kept busy by the cloud's single Node process, the other mostly idle: the process is named.
    const oneCore = targetLines(
      targets(figures({ endToEndMs: 800_000, cpu: { bench: 60, cloud: 640, java: 300 } })),
    ).find((l) => l.startsWith('FAIL  end to end:'));
    expect(oneCore).toContain(
      "bounded by the local cloud's one Node process, which runs every handler and the state machines on one core: it kept 80 % of a core busy over the round, the 2 cores 63 %",
    );
    // Idle cores on a machine others kept busy: the others are named, not waiting.
    const shared = figures({ endToEndMs: 600_000 });
    shared.machine.loadAtStart = [12.5, 10, 8];
    expect(targetLines(targets(shared)).find((l) => l.includes('the goal'))).toContain(
      'bounded by other work on the machine as much as by its own CPU: the round kept the 2 cores only 5 % busy at a load average of 12.5',
    );
  });

  it('holds the API to answers under 1 MB and requests under 5 s, the ranking measured, and public visits to no table request', () => {
    expect(passOf(targets(figures({ largestBytes: 1024 * 1024 - 1 })), 'largest API response')).toBe(true);
    expect(passOf(targets(figures({ largestBytes: 1024 * 1024 })), 'largest API response')).toBe(false);
    expect(passOf(targets(figures({ rankingMs: [4_999] })), 'slowest API request')).toBe(true);
    expect(passOf(targets(figures({ rankingMs: [5_000] })), 'slowest API request')).toBe(false);
    expect(passOf(targets(figures({ otherMs: 5_000 })), 'slowest API request')).toBe(false);
    expect(passOf(targets(figures({ rankingMs: [] })), 'slowest API request')).toBe(false);
    const slowest = targetLines(targets(figures({ otherMs: 2_000 }))).find((l) => l.includes('slowest API'));
    expect(slowest).toBe(
      "PASS  slowest API request: 2000.0 ms (GET /api/campaigns/{campaignId}/nominations); the ranking's slowest page 800.0 ms (target < 5 s)",
    );
    expect(passOf(targets(figures({ visitRequests: 1 })), 'table reads caused by public-notice visits')).toBe(
      false,
    );
  });

  it('passes nothing when nothing was measured: no nominations, executions, requests, samples or bundles', () => {
    const empty = figures({
      nominations: 0,
      endToEndMs: 0,
      submitMs: [],
      pairMs: [],
      executions: 0,
      maxTransitions: Math.max(),
      stageTally: {},
      setupTally: {},
      bundles: { rows: [], bareNodeMs: 30, budgetBytes: 300_000 },
      largestBytes: 0,
      rankingMs: [],
      visits: 0,
      cloudPeak: 0,
      javaPeak: 0,
      cpu: { bench: 0, cloud: 0, java: 0 },
    });
    const list = targets({ ...empty, cost: { lines: [], perNomination: 0, computeAndRequests: 0 } });
    expect(verdicts(list)).toEqual(Array(16).fill(false));
    expect(targetLines(list).every((l) => l.startsWith('FAIL  '))).toBe(true);
  });

  it('fails a target whose own measurement is missing while the rest were measured', () => {
    expect(passOf(targets(figures({ executions: 0, maxTransitions: Math.max() })), 'state transitions')).toBe(
      false,
    );
    expect(passOf(targets(figures({ submitMs: [] })), 'submit p99')).toBe(false);
    expect(passOf(targets(figures({ pairMs: [0] })), 'submit p99')).toBe(false);
    const onlyTasks = {
      rows: [{ name: 'tasks', bytes: 1, coldImportMs: 1, api: false }],
      bareNodeMs: 30,
      budgetBytes: 1,
    };
    expect(passOf(targets(figures({ bundles: onlyTasks })), 'bundles:')).toBe(false);
  });

  it("rewrites the README's cost table between its marks from the counted lines, and nothing else", () => {
    const lines = readmeCostTable(figures({ costPerNomination: 0.0008 }));
    expect(lines[0]).toBe(README_COST_MARKS.start);
    expect(lines.at(-1)).toBe(README_COST_MARKS.end);
    expect(lines).toContain('| DynamoDB (on demand) | 20 WRU | $0.000400 |');
    expect(lines).toContain(
      '| **compute and requests** | every line but S3 storage; the target is ≤ $0.001000 | **$0.000800** |',
    );
    expect(lines).toContain('| **total counted** |  | **$0.005800** |');
    const readme = `# Laurel\n\n## Costs\n\n${README_COST_MARKS.start}\nold table\n${README_COST_MARKS.end}\n\nFixed costs.\n`;
    const rewritten = withCostTable(readme, lines);
    expect(rewritten.startsWith('# Laurel\n\n## Costs\n\n<!-- cost table')).toBe(true);
    expect(rewritten.endsWith(`${README_COST_MARKS.end}\n\nFixed costs.\n`)).toBe(true);
    expect(rewritten).not.toContain('old table');
    expect(withCostTable(rewritten, lines)).toBe(rewritten);
    // Without its marks the README is left as it is.
    expect(withCostTable('# Laurel\n', lines)).toBe('# Laurel\n');
  });
});
