import { describe, expect, it } from 'vitest';
import type { Tally } from '../../scripts/bench/dynamo-counter.js';
import { type Figures, type Target, targetLines, targets } from '../../scripts/bench/report.js';
import { Latencies } from '../../scripts/bench/stats.js';

/** The bench's PASS/FAIL logic on made-up figures: every target met, each one missed, and nothing measured. */

const op = (requests: number, itemsWritten = 0) => ({
  requests,
  itemsWritten,
  itemsRead: 0,
  readUnits: 0,
  writeUnits: 0,
  refused: 0,
});

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
    stages: [{ tally: m.stageTally ?? { TransactWriteItems: op(3000, 12_000), GetItem: op(6000) } }],
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
        { name: 'tasks', bytes: 400_000, coldImportMs: 70, api: false },
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
  it('passes all ten when every figure is within its target', () => {
    const list = targets(figures());
    expect(list).toHaveLength(10);
    expect(verdicts(list)).toEqual(Array(10).fill(true));
    expect(targetLines(list)[0]).toMatch(/^PASS {2}end to end: 3,000 nominations in 45\.0 s/);
  });

  it('fails each target on its own figure, with the limits inclusive', () => {
    expect(passOf(targets(figures({ endToEndMs: 60_000 })), 'end to end')).toBe(true);
    expect(passOf(targets(figures({ endToEndMs: 60_001 })), 'end to end')).toBe(false);
    expect(passOf(targets(figures({ submitMs: [45], pairMs: [15] })), 'submit p99')).toBe(true);
    expect(passOf(targets(figures({ submitMs: [46], pairMs: [15] })), 'submit p99')).toBe(false);
    expect(passOf(targets(figures({ maxTransitions: 30 })), 'state transitions')).toBe(true);
    expect(passOf(targets(figures({ maxTransitions: 31 })), 'state transitions')).toBe(false);
    const writes = (items: number) => ({ TransactWriteItems: op(3000, items) });
    expect(passOf(targets(figures({ stageTally: writes(45_000) })), 'DynamoDB writes')).toBe(true);
    expect(passOf(targets(figures({ stageTally: writes(45_001) })), 'DynamoDB writes')).toBe(false);
    expect(passOf(targets(figures({ setupTally: { Scan: op(1) } })), 'Scans')).toBe(false);
    const bundle = (bytes: number, coldImportMs: number) => ({
      rows: [{ name: 'nominations', bytes, coldImportMs, api: true }],
      bareNodeMs: 30,
      budgetBytes: 300_000,
    });
    expect(verdicts(targets(figures({ bundles: bundle(300_000, 90) })).slice(5, 7))).toEqual([true, true]);
    expect(verdicts(targets(figures({ bundles: bundle(300_001, 91) })).slice(5, 7))).toEqual([false, false]);
    const failed = targetLines(targets(figures({ bundles: { error: 'esbuild missing' } }))).slice(5, 7);
    expect(failed).toEqual([
      'FAIL  API handler bundles ≤ 400 KB minified: not measured (esbuild missing)',
      'FAIL  cold import ≤ 3 × bare node: not measured (esbuild missing)',
    ]);
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
    });
    const list = targets(empty);
    expect(verdicts(list)).toEqual(Array(10).fill(false));
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
    expect(passOf(targets(figures({ bundles: onlyTasks })), 'API handler bundles')).toBe(false);
  });
});
