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
      expect(figures.stateTransitions.min).toBeGreaterThanOrEqual(10);
      expect(figures.stateTransitions.max).toBeLessThanOrEqual(40);
      expect(figures.dynamo.scans).toBe(0);
      expect(figures.dynamo.itemsWrittenPerNomination).toBeGreaterThan(10);
      expect(figures.dynamo.itemsWrittenPerNomination).toBeLessThan(200);
      expect(figures.dynamo.requestsPerNomination).toBeGreaterThan(
        figures.dynamo.itemsWrittenPerNomination / 3,
      );
      expect(figures.dynamo.writeUnitsPerNomination).toBeGreaterThan(0);
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
        '## Cost per nomination',
      ])
        expect(report).toContain(heading);
    },
    TIMEOUT_MS,
  );
});
