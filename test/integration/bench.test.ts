import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runScript } from '../support/run-script.js';

/**
 * `npm run bench` at a smoke size: 20 nominations through all six stages on a fresh local cloud,
 * its report written to a temporary folder (never over BENCHMARKS.md).
 */

const folder = mkdtempSync(join(tmpdir(), 'laurel-bench-test-'));
const reportFile = join(folder, 'BENCHMARKS.md');
const jsonFile = join(folder, 'bench.json');
// About 40 s on 2 cores; generous, since CI runs it beside other suites.
const TIMEOUT_MS = 240_000;
const NOMINATIONS = 20;

afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

// `npm run bench` without npm in between, so a timeout's SIGTERM reaches the benchmark (which stops its cloud).
const runBench = () =>
  runScript(
    process.execPath,
    ['--import', 'tsx', 'scripts/bench.ts'],
    {
      ...process.env,
      BENCH_NOMINATIONS: String(NOMINATIONS),
      BENCH_CONCURRENCY: '8',
      BENCH_UPLOAD_SAMPLE: '0.1',
      BENCH_BUNDLE_RUNS: '1',
      BENCH_BUNDLES: 'health',
      BENCH_PACKAGE_NOMINATIONS: '5',
      BENCH_REPORT: reportFile,
      BENCH_JSON: jsonFile,
    },
    TIMEOUT_MS - 5_000,
  );

const TARGETS = [
  /^(PASS|FAIL) {2}end to end: 20 nominations .* in \d+\.\d s \(target ≤ 300 s on 2 cores\)/m,
  /^(PASS|FAIL) {2}end to end, the goal: \d+\.\d s \(goal ≤ 60 s on 2 cores\); bounded by .*; CPU-s per nomination: cloud \(Node\) [\d.]+, DynamoDB Local \(Java\) [\d.]+, bench [\d.]+/m,
  /^(PASS|FAIL) {2}submit p99 .* × the p99 of its store round trips/m,
  /^(PASS|FAIL) {2}state transitions per nomination: /m,
  /^(PASS|FAIL) {2}DynamoDB requests per nomination: [\d.]+ \([\d.]+ reads, [\d.]+ writes\) \(target ≤ 45\)/m,
  /^(PASS|FAIL) {2}DynamoDB write requests per nomination: [\d.]+, writing [\d.]+ items \(target ≤ 15\)/m,
  /^(PASS|FAIL) {2}DynamoDB GetItem per nomination: [\d.]+ \(target ≤ 15\)/m,
  /^(PASS|FAIL) {2}DynamoDB write units per nomination: [\d.]+ WRU/m,
  /^(PASS|FAIL) {2}Scans issued by request paths: \d+/m,
  /^(PASS|FAIL) {2}bundles: largest .* \(target ≤ \d+ kB minified, document functions apart\)/m,
  /^(PASS|FAIL) {2}cold import/m,
  /^(PASS|FAIL) {2}expert assignment: 3,000 nominations × 3 over 100 experts in \d+\.\d\d s/m,
  /^(PASS|FAIL) {2}forwarding package job: 20 nominations .* 20 Word forms listed; every entry's CRC-32 verified; 60 scans and photos against their recorded SHA-256, 0 differing/m,
  /^(PASS|FAIL) {2}largest API response: \d+ kB \((GET|POST|PUT) \/api\/.*\) \(target < 1 MB\)/m,
  /^(PASS|FAIL) {2}slowest API request: [\d.]+ ms \(.*\); the ranking's slowest page [\d.]+ ms \(target < 5 s\)/m,
  /^(PASS|FAIL) {2}table reads caused by public-notice visits: \d+ reads .* over 40 visits/m,
  /^(PASS|FAIL) {2}AWS compute and requests per nomination: \$[\d.]+ at us-east-1 list prices, S3 storage apart \(target ≤ \$0\.001000\)/m,
  /^(PASS|FAIL) {2}the local cloud's peak memory: \d+ MiB — Node \d+ MiB \+ DynamoDB Local's JVM \d+ MiB/m,
];

/**
 * What each FAIL line must say bounds it (issue 20): end to end the CPU-seconds a nomination; the
 * store's lines the floor the round's own steps need and the callers above it; the cost each
 * share with its count; the cold import its size or its modules' work.
 */
const BOUNDS: [RegExp, RegExp][] = [
  [/^FAIL {2}end to end/, /; bounded by .*; CPU-s per nomination: /],
  [
    /^FAIL {2}DynamoDB requests per nomination/,
    /\(target ≤ 45\); floor [\d.]+: the [\d.]+ writes of the next line's floor and [\d.]+ pages people opened, a read each; the rest, [\d.]+, most in [a-z -]+ \+[\d.]+/,
  ],
  [
    /^FAIL {2}DynamoDB write requests per nomination/,
    // Four steps wait for a person on the happy path, each entered once; create, form, submit,
    // screening, three declarations and three reviews each a decision.
    /\(target ≤ 15\); floor [\d.]+: [\d.]+ human decisions \((?=.*3\.00 POST declaration)(?=.*3\.00 POST review)(?=.*1\.00 POST submit)(?=.*1\.00 POST screening).*\), 4\.0 waiting steps storing their tokens \(1\.00 AwaitScreening, 1\.00 AwaitReviews, 1\.00 AwaitSelection, 1\.00 AwaitPublicity\) and [\d.]+ campaign-job tasks \(their moves batched, a chunk a task\); the rest, [\d.]+, most in /,
  ],
  [
    /^FAIL {2}DynamoDB write units per nomination/,
    /; floor [\d.]+: a unit for each write of the floor .*; the rest, [\d.]+: [\d.]+ for write requests over the floor, [\d.]+ for items beyond one a request, -?[\d.]+ for items over 1 KB.*, [\d.]+ for the indexes holding them, [\d.]+ for transactions' doubling; most in /,
  ],
  [/^FAIL {2}DynamoDB GetItem per nomination/, /; most in \d\. /],
  [
    /^FAIL {2}cold import/,
    // The run times one bundle: no other to tell a kB's cost by, so its size and work together.
    /; (bounded by (its size|what its modules run at import, not by its size|its size and its modules' work at import together): |.*: neither shown to bound it$)/,
  ],
  [
    /^FAIL {2}AWS compute and requests per nomination/,
    /; over by \$[\d.]+; by share: [A-Z][^;]* \$[\d.]+ \d+ % \(/,
  ],
];

describe('npm run bench', () => {
  it(
    'takes 20 nominations through all six stages and ends with a PASS or FAIL line per target',
    async () => {
      const { code, stdout, stderr } = await runBench();
      expect(code, `${stdout.slice(-3000)}\n${stderr.slice(-3000)}`).toBe(0);

      const targetLines = stdout.split('\n').filter((l) => /^(PASS|FAIL) {2}/.test(l));
      expect(targetLines).toHaveLength(TARGETS.length);
      for (const target of TARGETS) expect(stdout).toMatch(target);
      // The run ends with them, after saying where the report was written.
      expect(stdout.trimEnd().split('\n').slice(-TARGETS.length)).toEqual(targetLines);
      expect(stdout).toContain(`written to ${reportFile}`);
      // Each FAIL line of these targets says what bounds it.
      let bounded = 0;
      for (const line of targetLines)
        for (const [target, bound] of BOUNDS)
          if (target.test(line)) {
            expect(line).toMatch(bound);
            bounded += 1;
          }
      // The store's figures miss their budget today (BENCHMARKS.md): at least those lines are held.
      expect(bounded).toBeGreaterThan(0);
      // The write units' parts above the floor add up to the figure (each rounded to a tenth).
      const units = targetLines.find((l) => l.startsWith('FAIL  DynamoDB write units'));
      if (units) {
        const figure = Number(/nomination: ([\d.]+) WRU/.exec(units)?.[1]);
        const floor = Number(/; floor ([\d.]+):/.exec(units)?.[1]);
        const parts = [...units.matchAll(/(-?[\d.]+) for (?!each)/g)].map((m) => Number(m[1]));
        expect(parts).toHaveLength(5);
        expect(Math.abs(floor + parts.reduce((s, v) => s + v, 0) - figure)).toBeLessThan(0.5);
      }

      const figures = JSON.parse(readFileSync(jsonFile, 'utf8'));
      expect(figures.outcome).toMatchObject({
        ranked: NOMINATIONS,
        selected: NOMINATIONS,
        onNotice: NOMINATIONS,
        released: NOMINATIONS,
        finalList: NOMINATIONS,
        reviews: 3 * NOMINATIONS,
      });
      // Invitations, three review requests and a release notice per nomination at least.
      expect(figures.outcome.mails).toBeGreaterThanOrEqual(4 * NOMINATIONS);
      expect(figures.stages).toHaveLength(6);
      for (const stage of figures.stages) expect(stage.ms).toBeGreaterThan(0);
      expect(figures.endToEndMs).toBeGreaterThan(0);

      // Counts that follow from the state machine and the data layer, within sane bounds.
      // The happy path enters six states (four waits, AssignExperts, Released), no Choice between.
      expect(figures.stateTransitions.min).toBeGreaterThanOrEqual(6);
      expect(figures.stateTransitions.max).toBeLessThanOrEqual(40);
      expect(figures.dynamo.scans).toBe(0);
      expect(figures.dynamo.itemsWrittenPerNomination).toBeGreaterThan(10);
      expect(figures.dynamo.itemsWrittenPerNomination).toBeLessThan(200);
      expect(figures.dynamo.requestsPerNomination).toBeGreaterThan(
        figures.dynamo.itemsWrittenPerNomination / 3,
      );
      expect(figures.dynamo.writeUnitsPerNomination).toBeGreaterThan(0);
      // Ten decisions and four waiting steps a nomination at least; the pages, one a review (the
      // declaration answers with the page the expert reads next) and the secretariat's at least.
      expect(figures.dynamo.floorPerNomination.writeRequests).toBeGreaterThanOrEqual(14);
      expect(figures.dynamo.floorPerNomination.readRequests).toBeGreaterThanOrEqual(4);
      expect(figures.submit.storeP99).toBeGreaterThan(0);
      expect(figures.submit.submitP99).toBeGreaterThan(0);
      expect(figures.costPerNomination).toBeGreaterThan(0);
      expect(figures.memory.cloudPeak).toBeGreaterThan(0);
      // DynamoDB Local's JVM is sized (infra/local/dynamodb.ts): a 256 MB heap, not a quarter of the machine.
      expect(figures.memory.javaPeak).toBeGreaterThan(0);
      expect(figures.memory.javaPeak).toBeLessThan(512 * 1024 * 1024);
      expect(figures.computeAndRequestsPerNomination).toBeGreaterThan(0);
      expect(figures.computeAndRequestsPerNomination).toBeLessThan(figures.costPerNomination);
      for (const stage of figures.stages) expect(stage.cpu.java).toBeGreaterThan(0);

      expect(existsSync(reportFile)).toBe(true);
      const report = readFileSync(reportFile, 'utf8');
      expect(report).toMatch(/^# Benchmarks/);
      for (const heading of [
        '## Targets',
        '## Wall time',
        '## DynamoDB per nomination',
        '## DynamoDB by caller',
        '## Cost per nomination',
      ])
        expect(report).toContain(heading);
      // By caller, in each stage, with what it ran there: the experts' requests by route, the
      // token of the step each stage ends in stored by await-step.
      expect(report).toMatch(/^\| 3\. expert review \| reviews \| [^|]*POST review 3\.00[^|]*\|/m);
      for (const [stage, state] of [
        ['1. submission', 'AwaitScreening'],
        ['2. screening', 'AwaitReviews'],
        ['3. expert review', 'AwaitSelection'],
        ['4. selection and forwarding', 'AwaitPublicity'],
      ])
        expect(report).toContain(`| ${stage} | await-step | ${state} 1.00 |`);
      expect(report).toMatch(/^\| await-step \| [\d.]+ \| 4\.0 \| /m);
    },
    TIMEOUT_MS,
  );
});
