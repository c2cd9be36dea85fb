// `npm run bench`: a national round of cast-2024 — BENCH_NOMINATIONS (default 3000) nominations
// from about a thousand units, three experts each — through all six stages on a fresh local
// cloud, by scripted people through the HTTP API. Prints the figures and one PASS / FAIL line per
// target, and writes them to BENCH_REPORT (default BENCHMARKS.md at the repository root, and then
// the README's cost table too).
//
// Settings: BENCH_CONCURRENCY (people at a time, default 16), BENCH_UPLOAD_SAMPLE (fraction of
// nominations whose files are uploaded for real, default 0.01), BENCH_DATA_DIR (default a new
// folder on tmpfs, removed at the end), BENCH_BUNDLE_RUNS (timed cold imports per handler,
// default 5; 0 skips the bundles), BENCH_BUNDLES (only these functions, comma-separated), BENCH_PACKAGE_NOMINATIONS (default 100), BENCH_PACKAGE_JOB_NOMINATIONS (the package job's
// round, default BENCH_NOMINATIONS), BENCH_JSON (also
// write the main figures as JSON there), BENCH_LAMBDA_TIMEOUT_S (how long an API handler may run
// locally, default 3600, to measure what would not fit in API Gateway's 30 s — every request over
// 29 s is reported; task functions keep their own timeouts and reserved concurrency).
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { functionSpec } from '../functions/routes.js';
import { benchAssignment } from './bench/assignment.js';
import { estimateCost, PACKAGE_JOB, withPackageBuild } from './bench/cost.js';
import { totals } from './bench/dynamo-counter.js';
import { benchPackageJob } from './bench/package-job.js';
import {
  floorOfRound,
  markdown,
  readmeCostTable,
  submitRatio,
  sumTallies,
  targetLines,
  targets,
  textReport,
  withCostTable,
} from './bench/report.js';
import { runBench } from './bench/run.js';

const DEFAULT_REPORT = resolve(import.meta.dirname, '..', 'BENCHMARKS.md');
const README = resolve(import.meta.dirname, '..', 'README.md');

function numberFrom(name: string, fallback: number, check: (value: number) => boolean): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!check(value)) throw new Error(`${name} must be a valid number, not '${raw}'`);
  return value;
}

export async function main(): Promise<boolean> {
  const nominations = numberFrom('BENCH_NOMINATIONS', 3000, (v) => Number.isInteger(v) && v >= 1);
  const concurrency = numberFrom('BENCH_CONCURRENCY', 16, (v) => Number.isInteger(v) && v >= 1);
  const uploadSample = numberFrom('BENCH_UPLOAD_SAMPLE', 0.01, (v) => v >= 0 && v <= 1);
  const bundleRuns = numberFrom('BENCH_BUNDLE_RUNS', 5, (v) => Number.isInteger(v) && v >= 0);
  const packageNominations = numberFrom(
    'BENCH_PACKAGE_NOMINATIONS',
    100,
    (v) => Number.isInteger(v) && v >= 1,
  );
  const packageJobNominations = numberFrom(
    'BENCH_PACKAGE_JOB_NOMINATIONS',
    nominations,
    (v) => Number.isInteger(v) && v >= 1,
  );
  const lambdaTimeoutS = numberFrom('BENCH_LAMBDA_TIMEOUT_S', 3600, (v) => v > 0);
  const reportFile = resolve(process.env.BENCH_REPORT ?? DEFAULT_REPORT);
  const settings = Object.entries({
    BENCH_NOMINATIONS: process.env.BENCH_NOMINATIONS,
    BENCH_CONCURRENCY: process.env.BENCH_CONCURRENCY,
    BENCH_UPLOAD_SAMPLE: process.env.BENCH_UPLOAD_SAMPLE,
  })
    .filter(([, v]) => v)
    .map(([k, v]) => `${k}=${v} `)
    .join('');

  console.log(`Laurel benchmark · ${nominations} nominations of cast-2024 through all six stages`);
  const figures = await runBench({
    nominations,
    concurrency,
    uploadSample,
    bundleRuns,
    packageNominations,
    lambdaTimeoutMs: lambdaTimeoutS * 1000,
    ...(process.env.BENCH_DATA_DIR ? { dataDir: process.env.BENCH_DATA_DIR } : {}),
    ...(process.env.BENCH_BUNDLES
      ? { bundlesOnly: process.env.BENCH_BUNDLES.split(',').map((s) => s.trim()) }
      : {}),
    command: `${settings}npm run bench`,
    print: (line) => console.log(line),
  });
  // Assignment under caps is a pure computation over a round of the same size: measured here too.
  // The forwarding package's job, in a process of its own whose memory is the figure: measured here too.
  console.log('building the forwarding package of the whole round by its job…');
  const packageJob = await benchPackageJob(packageJobNominations);
  // The round's forwarding package is built by a job of its own: its Lambda time and its state
  // transition belong in the cost, priced before the targets are read.
  if (packageJob.figures) {
    figures.cost = estimateCost(
      withPackageBuild(figures.usage, {
        nominations: packageJob.figures.nominations,
        seconds: packageJob.figures.seconds,
        memoryMb: functionSpec(PACKAGE_JOB.functionName).limits.memoryMb,
      }),
    );
  }
  const list = [...targets(figures), benchAssignment(), packageJob];
  for (const line of textReport(figures)) console.log(line);
  writeFileSync(reportFile, markdown(figures, list));
  console.log(`\nwritten to ${reportFile}`);
  // The README's cost table follows the repository's BENCHMARKS.md, never a report written elsewhere.
  if (reportFile === DEFAULT_REPORT) {
    const readme = readFileSync(README, 'utf8');
    writeFileSync(README, withCostTable(readme, readmeCostTable(figures)));
    console.log(`cost table rewritten in ${README}`);
  }

  if (process.env.BENCH_JSON) {
    const pipeline = totals(sumTallies(figures.stages.map((s) => s.tally)));
    const everything = sumTallies([figures.setup.tally, ...figures.stages.map((s) => s.tally)]);
    writeFileSync(
      process.env.BENCH_JSON,
      JSON.stringify(
        {
          nominations,
          endToEndMs: figures.endToEndMs,
          stages: figures.stages.map((s) => ({ name: s.name, ms: s.ms, cpu: s.cpu })),
          submit: submitRatio(figures),
          stateTransitions: figures.sfn.perExecution,
          dynamo: {
            requestsPerNomination: pipeline.requests / nominations,
            itemsWrittenPerNomination: pipeline.itemsWritten / nominations,
            writeUnitsPerNomination: pipeline.writeUnits / nominations,
            readUnitsPerNomination: pipeline.readUnits / nominations,
            scans: everything.Scan?.requests ?? 0,
            // What the round's own steps need at least (scripts/bench/bounds.ts).
            floorPerNomination: (() => {
              const floor = floorOfRound(figures);
              return { writeRequests: floor.writes / nominations, readRequests: floor.reads / nominations };
            })(),
          },
          outcome: { ...figures.outcome, mailKinds: Object.fromEntries(figures.outcome.mailKinds) },
          memory: figures.memory,
          costPerNomination: figures.cost.perNomination,
          computeAndRequestsPerNomination: figures.cost.computeAndRequests,
          targets: targetLines(list),
        },
        null,
        2,
      ),
    );
  }
  // The run ends with the targets, one line each; it succeeded whether or not they pass.
  console.log('\n── Targets ──');
  for (const line of targetLines(list)) console.log(line);
  return list.every((t) => t.pass);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  // The AWS SDK warns that its 2027 releases will need Node 22; Laurel pins its version.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  main().catch((error: unknown) => {
    console.error(
      `\nThe benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    process.exitCode = 1;
  });
}
