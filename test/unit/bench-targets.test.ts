import { describe, expect, it } from 'vitest';
import type { Tally } from '../../scripts/bench/dynamo-counter.js';
import {
  type BundleFigure,
  type Figures,
  README_COST_MARKS,
  readmeCostTable,
  type Target,
  targetLines,
  targets,
  withCostTable,
} from '../../scripts/bench/report.js';
import { Latencies } from '../../scripts/bench/stats.js';

/** The bench's PASS/FAIL logic on made-up figures: every target met, each one missed, and nothing measured. */

const op = (requests: number, itemsWritten = 0, writeUnits = 0) => ({
  requests,
  itemsWritten,
  itemsRead: 0,
  readUnits: 0,
  writeUnits,
  refused: 0,
});
const MIB = 1024 * 1024;

interface Made {
  nominations?: number;
  endToEndMs?: number;
  submitMs?: number[];
  pairMs?: number[];
  executions?: number;
  maxTransitions?: number;
  stageTally?: Tally;
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
  return {
    settings: { nominations: m.nominations ?? 3000 },
    endToEndMs: m.endToEndMs ?? 45_000,
    latencies,
    probe: { pairs: 3, latencies: probe },
    sfn: { executions: m.executions ?? 3000, perExecution: { min: 10, mean: 18, max } },
    setup: { tally: m.setupTally ?? { PutItem: op(100, 100) } },
    date: new Date('2026-12-05T08:00:00Z'),
    machine: { cpus: 2, code: 'abc1234' },
    stages: [
      {
        name: '1. submission',
        cpu: m.cpu ?? { bench: 30, cloud: 20, java: 10 },
        tally: m.stageTally ?? { TransactWriteItems: op(3000, 12_000, 60_000), GetItem: op(6000) },
      },
    ],
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
    // A miss names the stages that spent most of it.
    const line = targetLines(targets(figures({ stageTally: tally(0, 3000, 900_000) }))).find((l) =>
      l.includes('write units'),
    );
    expect(line).toBe(
      'FAIL  DynamoDB write units per nomination: 300.0 WRU for 1.0 items written (300.0 WRU of it in transactions, which cost double) (target ≤ 150); most in 1. submission 300.0',
    );
  });

  it('holds AWS compute and requests to $0.001 a nomination, naming the largest share when over', () => {
    expect(passOf(targets(figures({ costPerNomination: 0.001 })), 'AWS compute')).toBe(true);
    expect(passOf(targets(figures({ costPerNomination: 0.0010001 })), 'AWS compute')).toBe(false);
    const line = targetLines(targets(figures({ costPerNomination: 0.002 }))).find((l) =>
      l.includes('AWS compute'),
    );
    expect(line).toBe(
      'FAIL  AWS compute and requests per nomination: $0.002000 at us-east-1 list prices, S3 storage apart (target ≤ $0.001000); the largest share DynamoDB (on demand) $0.001000 (20 WRU)',
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
