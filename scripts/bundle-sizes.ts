import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import * as esbuild from 'esbuild';
import { FUNCTIONS, type FunctionSpec } from '../functions/routes.js';
import {
  BUNDLE_CEILING_BYTES,
  bundlingFor,
  DOCUMENT_FUNCTIONS,
  LAMBDA_NODE_OPTIONS,
  type MailTransport,
  sdkFromRuntime,
} from '../infra/bundling.js';

/**
 * Bundles every function of FUNCTIONS the way the CDK app does (the same options, infra/bundling.ts bundlingFor) and
 * measures what a cold start pays: the minified bundle's size, and the wall and CPU time of a
 * fresh `node` process that imports it (module evaluation included: config, SDK clients, zod
 * schemas), to be compared with a bare `node -e 0` on the same machine.
 *
 * Each function is measured both ways: with the AWS SDK inside the bundle and with it left
 * external for Lambda's runtime to provide (RUNTIME_SDK_PACKAGES, resolved here from the
 * repository's node_modules, linked next to the bundles); infra/bundling.ts says which is deployed.
 * The functions that send mail are measured as a deployment that mails by SMTP bundles them (the
 * larger of its two transports: infra/bundling.ts MEASURED_MAIL_TRANSPORT).
 *
 *   npx tsx scripts/bundle-sizes.ts [function…]   prints a table and the targets' PASS / FAIL lines
 *                                                 (exit code 1 if a function is over the 1 MB ceiling)
 */

const REPO_ROOT = join(import.meta.dirname, '..');
const run = promisify(execFile);

export interface BundleMeasurement {
  name: string;
  /** Minified size of index.mjs, source map excluded. */
  bytes: number;
  /** Median wall time of a `node` that imports the bundle, process start to exit. */
  coldImportMs: number;
  /** Median CPU time of that process (user + system), a steadier figure on a busy machine. */
  coldImportCpuMs: number;
  /** A bare `node -e 0` timed beside each of those imports, run for run (pairedMedianTimes): the import's own yardstick. */
  bare: NodeRunTimes;
  /** Whether the function serves HTTP routes. */
  api: boolean;
  /** A function that builds or reads documents (DOCUMENT_FUNCTIONS in infra/bundling.ts): exempt from the ceiling and the cold-import target. */
  exempt: boolean;
  /** The largest packages (or repository folders) in the bundle, bytes of output each. */
  largest: Array<{ input: string; bytes: number }>;
  /** Whether the deployed bundle leaves the AWS SDK to Lambda's runtime (infra/bundling.ts sdkFromRuntime). */
  sdkFromRuntime: boolean;
  /** The same function the other way (SDK bundled where it is external, and the reverse), to compare. */
  otherWay?: { bytes: number; coldImportMs: number; coldImportCpuMs: number; bare: NodeRunTimes };
}

export interface MeasureOptions {
  /** Timed runs per bundle (after one untimed warm-up of the file cache); the median is kept. */
  runs?: number;
  /** Only these functions (by name). */
  only?: readonly string[];
  /** Also measure each function the other way (the SDK bundled or the runtime's), to compare. */
  otherWay?: boolean;
}

/**
 * The environment a cold start sees: what the stack sets (dummy values), NODE_OPTIONS as every
 * function runs with them, and nothing from this shell, so no local endpoint, credential or Node
 * option changes what is loaded. A bare `node` is timed with the same options.
 */
export const CHILD_ENV = {
  PATH: process.env.PATH ?? '',
  NODE_OPTIONS: LAMBDA_NODE_OPTIONS,
  AWS_REGION: 'cn-north-1',
  LAUREL_STAGE: 'bench',
  LAUREL_TABLE: 'laurel',
  LAUREL_UPLOADS_BUCKET: 'laurel-uploads',
  LAUREL_STATE_MACHINE_ARN: 'arn:aws-cn:states:cn-north-1:123456789012:stateMachine:laurel-bench-nomination',
  LAUREL_WEB_URL: 'https://laurel.example.org',
  LAUREL_MAIL_FROM: 'noreply@laurel.example.org',
  LAUREL_COOKIE_SECURE: 'true',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
};

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

/** What one `node` run cost: wall time, and the CPU time the child reports for itself at its end. */
export interface NodeRunTimes {
  wallMs: number;
  /** User + system CPU of the child: moved less than wall time by other load on the machine. */
  cpuMs: number;
}

/** Appended to every timed script: the child prints its own CPU time, startup included. */
const PRINT_CPU =
  'const u = process.resourceUsage(); process.stdout.write(String((u.userCPUTime + u.systemCPUTime) / 1000));';

async function timeNode(args: string[], cwd: string): Promise<NodeRunTimes> {
  const started = performance.now();
  const { stdout } = await run(process.execPath, args, { cwd, env: CHILD_ENV });
  return { wallMs: performance.now() - started, cpuMs: Number(stdout.trim().split('\n').pop()) };
}

/** A bare `node -e 0`, its CPU printed: the yardstick of every cold import. */
const BARE_NODE = ['-e', PRINT_CPU];

const mediansOf = (times: readonly NodeRunTimes[]): NodeRunTimes => ({
  wallMs: median(times.map((t) => t.wallMs)),
  cpuMs: median(times.map((t) => t.cpuMs)),
});

/** Medians over `runs` timed runs, after one untimed run that warms the file cache. */
async function medianTimes(args: string[], cwd: string, runs: number): Promise<NodeRunTimes> {
  await timeNode(args, cwd); // a Lambda's code is on local disk, not on a cold one
  const times: NodeRunTimes[] = [];
  for (let i = 0; i < runs; i += 1) times.push(await timeNode(args, cwd));
  return mediansOf(times);
}

/**
 * Medians over `runs` timed runs of `args`, each right after a timed bare `node -e 0`, and the
 * bare runs' medians: the yardstick of a cold import taken in the same moments as the import. A
 * bare `node` timed once, before two dozen bundles are timed over a minute or two, compares runs
 * under different loads: in one bench run campaign-job's import was 3.2 × that yardstick and
 * await-step's, a bundle of the same size and the same Node modules, 2.5 ×, and profiles of the
 * two on one machine showed the same work (V8 compiling ~700 kB, the SDK's set-up).
 */
async function pairedMedianTimes(
  args: string[],
  cwd: string,
  runs: number,
): Promise<NodeRunTimes & { bare: NodeRunTimes }> {
  await timeNode(args, cwd); // a Lambda's code is on local disk, not on a cold one
  const pairs: Array<{ bare: NodeRunTimes; run: NodeRunTimes }> = [];
  for (let i = 0; i < runs; i += 1) {
    const bare = await timeNode(BARE_NODE, REPO_ROOT);
    pairs.push({ bare, run: await timeNode(args, cwd) });
  }
  return { ...mediansOf(pairs.map((p) => p.run)), bare: mediansOf(pairs.map((p) => p.bare)) };
}

/** A bare `node -e 0` on this machine (wall and CPU medians): the yardstick for cold imports. */
export async function measureBareNodeTimes(runs = 7): Promise<NodeRunTimes> {
  return medianTimes(BARE_NODE, REPO_ROOT, runs);
}

/** Median wall time of a bare `node -e 0` on this machine. */
export async function measureBareNode(runs = 7): Promise<number> {
  return (await measureBareNodeTimes(runs)).wallMs;
}

/** Packages (node_modules/<name>) or repository folders, by bytes they put in the output. */
function largestInputs(meta: esbuild.Metafile, top = 5): Array<{ input: string; bytes: number }> {
  const totals = new Map<string, number>();
  for (const output of Object.values(meta.outputs)) {
    for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1];
      const key = pkg ?? path.split('/').slice(0, 2).join('/');
      totals.set(key, (totals.get(key) ?? 0) + bytesInOutput);
    }
  }
  return [...totals]
    .map(([input, bytes]) => ({ input, bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, top);
}

/**
 * Bundles one function as the CDK does, into `outfile`; with `sdk`, with the AWS SDK bundled or
 * the runtime's whichever the function deploys with (to measure the way not taken); with `mail`,
 * for a deployment that mails by that transport (SMTP unless given: MEASURED_MAIL_TRANSPORT).
 */
export async function bundleFunction(
  spec: Pick<FunctionSpec, 'name' | 'entry'>,
  outfile: string,
  sdk?: 'bundled' | 'runtime',
  mail?: MailTransport,
): Promise<esbuild.Metafile> {
  const bundling = bundlingFor(spec, sdk, mail);
  const result = await esbuild.build({
    ...bundling,
    mainFields: [...bundling.mainFields],
    entryPoints: [join(REPO_ROOT, spec.entry)],
    outfile,
    tsconfig: join(REPO_ROOT, 'tsconfig.json'),
    metafile: true,
    logLevel: 'warning',
  });
  return result.metafile;
}

export async function measureBundles(options: MeasureOptions = {}): Promise<BundleMeasurement[]> {
  const runs = options.runs ?? 5;
  const outdir = await mkdtemp(join(tmpdir(), 'laurel-bundles-'));
  try {
    // Lambda would resolve an external SDK from the runtime's node_modules; here, from ours.
    await symlink(join(REPO_ROOT, 'node_modules'), join(outdir, 'node_modules'), 'dir');
    const specs = FUNCTIONS.filter((f) => !options.only || options.only.includes(f.name));
    const measured: BundleMeasurement[] = [];
    const bundleAndTime = async (spec: FunctionSpec, outfile: string, sdk?: 'bundled' | 'runtime') => {
      const meta = await bundleFunction(spec, outfile, sdk);
      const script = `await import(${JSON.stringify(pathToFileURL(outfile).href)}); ${PRINT_CPU}`;
      const times = await pairedMedianTimes(['--input-type=module', '-e', script], outdir, runs);
      return {
        meta,
        bytes: (await stat(outfile)).size,
        coldImportMs: times.wallMs,
        coldImportCpuMs: times.cpuMs,
        bare: times.bare,
      };
    };
    for (const spec of specs) {
      const { meta, ...deployed } = await bundleAndTime(spec, join(outdir, spec.name, 'index.mjs'));
      const other = sdkFromRuntime(spec) ? 'bundled' : 'runtime';
      const otherWay = options.otherWay
        ? await bundleAndTime(spec, join(outdir, 'other-way', spec.name, 'index.mjs'), other)
        : undefined;
      measured.push({
        name: spec.name,
        ...deployed,
        api: spec.routes.length > 0,
        exempt: spec.name in DOCUMENT_FUNCTIONS,
        largest: largestInputs(meta),
        sdkFromRuntime: sdkFromRuntime(spec),
        ...(otherWay
          ? {
              otherWay: {
                bytes: otherWay.bytes,
                coldImportMs: otherWay.coldImportMs,
                coldImportCpuMs: otherWay.coldImportCpuMs,
                bare: otherWay.bare,
              },
            }
          : {}),
      });
    }
    return measured;
  } finally {
    await rm(outdir, { recursive: true, force: true });
  }
}

/** A function over the 1 MB ceiling that is not a document function. */
export const overBudget = (m: BundleMeasurement): boolean => !m.exempt && m.bytes > BUNDLE_CEILING_BYTES;

/** Cold import over 3 × a bare `node`, for a function that does not build documents (the cost issue's target). */
export const slowColdImport = (m: Pick<BundleMeasurement, 'exempt'>, ms: number, bareMs: number): boolean =>
  !m.exempt && ms > 3 * bareMs;

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const bare = await measureBareNodeTimes();
  const rows = await measureBundles({ otherWay: true, ...(only.length > 0 ? { only } : {}) });
  const kb = (bytes: number) => `${(bytes / 1000).toFixed(0)} kB`;
  const ms = (t: number) => `${t.toFixed(0)} ms`;
  const times = (t: number, base: number) => `${ms(t)} ${(t / base).toFixed(1)}×`;
  console.log(
    `bare node -e 0: ${ms(bare.wallMs)} wall, ${ms(bare.cpuMs)} CPU before the bundles (each import's × is against the bare runs timed beside it); ceiling ${kb(BUNDLE_CEILING_BYTES)} but the document functions; SDK bundled or the runtime's, * as deployed\n`,
  );
  console.log(
    `${'function'.padEnd(20)}  ${'SDK'.padEnd(8)}  ${'size'.padStart(8)}  ${'limit'.padEnd(6)}  ${'cold import wall'.padStart(16)}  ${'CPU'.padStart(14)}  largest inputs`,
  );
  for (const row of rows) {
    const limit = row.exempt ? 'exempt' : overBudget(row) ? 'OVER' : 'ok';
    const deployed = row.sdkFromRuntime ? 'runtime' : 'bundled';
    const other = row.sdkFromRuntime ? 'bundled' : 'runtime';
    const ways = [
      {
        sdk: `${deployed}*`,
        ...row,
        largest: row.largest.map((l) => `${l.input} ${kb(l.bytes)}`).join(', '),
      },
      ...(row.otherWay ? [{ sdk: other, ...row.otherWay, largest: '' }] : []),
    ];
    for (const [i, way] of ways.entries()) {
      console.log(
        [
          (i === 0 ? row.name : '').padEnd(20),
          way.sdk.padEnd(8),
          kb(way.bytes).padStart(8),
          (i === 0 ? limit : '').padEnd(6),
          times(way.coldImportMs, way.bare.wallMs).padStart(16),
          times(way.coldImportCpuMs, way.bare.cpuMs).padStart(14),
          way.largest,
        ].join('  '),
      );
    }
  }
  const over = rows.filter(overBudget);
  // Each import against the bare runs timed beside it (pairedMedianTimes).
  const slow = (pick: (r: BundleMeasurement) => number, base: (r: BundleMeasurement) => number) =>
    rows
      .filter((r) => slowColdImport(r, pick(r), base(r)))
      .map((r) => `${r.name} ${(pick(r) / base(r)).toFixed(1)}×`);
  const verdict = (failures: string[]) => (failures.length === 0 ? 'PASS' : 'FAIL');
  console.log(
    `\n${verdict(over.map((r) => r.name))}  bundles ≤ ${kb(BUNDLE_CEILING_BYTES)} but the document functions${over.length > 0 ? `; over: ${over.map((r) => `${r.name} ${kb(r.bytes)}`).join(', ')}` : ''}`,
  );
  const slowWall = slow(
    (r) => r.coldImportMs,
    (r) => r.bare.wallMs,
  );
  const slowCpu = slow(
    (r) => r.coldImportCpuMs,
    (r) => r.bare.cpuMs,
  );
  console.log(
    `${verdict(slowWall)}  cold import ≤ 3 × bare node (wall) but the document functions${slowWall.length > 0 ? `; over: ${slowWall.join(', ')}` : ''}`,
  );
  console.log(
    `${verdict(slowCpu)}  cold import ≤ 3 × bare node (CPU) but the document functions${slowCpu.length > 0 ? `; over: ${slowCpu.join(', ')}` : ''}`,
  );
  if (over.length > 0) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
