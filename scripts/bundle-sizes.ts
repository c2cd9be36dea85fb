import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import * as esbuild from 'esbuild';
import { FUNCTIONS } from '../functions/routes.js';
import {
  API_BUNDLE_BUDGET_BYTES,
  BUNDLING,
  DOCUMENT_FUNCTIONS,
  MAIL_API_BUNDLE_BUDGET_BYTES,
} from '../infra/bundling.js';

/**
 * Bundles every function of FUNCTIONS the way the CDK app does (the same BUNDLING options) and
 * measures what a cold start pays: the minified bundle's size, and the wall and CPU time of a
 * fresh `node` process that imports it (module evaluation included: config, SDK clients, zod
 * schemas), to be compared with a bare `node -e 0` on the same machine.
 *
 * The bundles leave the AWS SDK external, as Lambda provides it; here it resolves from the
 * repository's node_modules, linked next to the bundles.
 *
 *   npx tsx scripts/bundle-sizes.ts     prints a table (exit code 1 if an API handler is over budget)
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
  /** Whether the function serves HTTP routes (the 300 KB budget applies to these). */
  api: boolean;
  /** An API function exempt from the budget (DOCUMENT_FUNCTIONS in infra/bundling.ts). */
  exempt: boolean;
  /** The size limit that applies: the mail budget for a function that sends mail, else the API one. */
  budgetBytes: number;
  /** The largest packages (or repository folders) in the bundle, bytes of output each. */
  largest: Array<{ input: string; bytes: number }>;
}

export interface MeasureOptions {
  /** Timed runs per bundle (after one untimed warm-up of the file cache); the median is kept. */
  runs?: number;
  /** Only these functions (by name). */
  only?: readonly string[];
}

/**
 * The environment a cold start sees: what the stack sets (dummy values) and nothing from this
 * shell, so no local endpoint or credential changes what is loaded.
 */
const CHILD_ENV = {
  PATH: process.env.PATH ?? '',
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

/** Medians over `runs` timed runs, after one untimed run that warms the file cache. */
async function medianTimes(args: string[], cwd: string, runs: number): Promise<NodeRunTimes> {
  await timeNode(args, cwd); // a Lambda's code is on local disk, not on a cold one
  const times: NodeRunTimes[] = [];
  for (let i = 0; i < runs; i += 1) times.push(await timeNode(args, cwd));
  return { wallMs: median(times.map((t) => t.wallMs)), cpuMs: median(times.map((t) => t.cpuMs)) };
}

/** A bare `node -e 0` on this machine (wall and CPU medians): the yardstick for cold imports. */
export async function measureBareNodeTimes(runs = 7): Promise<NodeRunTimes> {
  return medianTimes(['-e', PRINT_CPU], REPO_ROOT, runs);
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

/** Bundles one function (its entry, relative to the repository) as the CDK does, into `outfile`. */
export async function bundleFunction(entry: string, outfile: string): Promise<esbuild.Metafile> {
  const result = await esbuild.build({
    ...BUNDLING,
    mainFields: [...BUNDLING.mainFields],
    external: [...BUNDLING.external],
    entryPoints: [join(REPO_ROOT, entry)],
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
    // Lambda resolves the external SDK from the runtime's node_modules; here, from ours.
    await symlink(join(REPO_ROOT, 'node_modules'), join(outdir, 'node_modules'), 'dir');
    const specs = FUNCTIONS.filter((f) => !options.only || options.only.includes(f.name));
    const measured: BundleMeasurement[] = [];
    for (const spec of specs) {
      const outfile = join(outdir, spec.name, 'index.mjs');
      const meta = await bundleFunction(spec.entry, outfile);
      const script = `await import(${JSON.stringify(pathToFileURL(outfile).href)}); ${PRINT_CPU}`;
      const times = await medianTimes(['--input-type=module', '-e', script], outdir, runs);
      measured.push({
        name: spec.name,
        bytes: (await stat(outfile)).size,
        coldImportMs: times.wallMs,
        coldImportCpuMs: times.cpuMs,
        api: spec.routes.length > 0,
        exempt: spec.name in DOCUMENT_FUNCTIONS,
        budgetBytes: spec.grants.sendsMail ? MAIL_API_BUNDLE_BUDGET_BYTES : API_BUNDLE_BUDGET_BYTES,
        largest: largestInputs(meta),
      });
    }
    return measured;
  } finally {
    await rm(outdir, { recursive: true, force: true });
  }
}

/** An API handler over its budget that is not a document function. */
export const overBudget = (m: BundleMeasurement): boolean => m.api && !m.exempt && m.bytes > m.budgetBytes;

async function main(): Promise<void> {
  const bare = await measureBareNodeTimes();
  const rows = await measureBundles();
  const kb = (bytes: number) => `${(bytes / 1000).toFixed(0)} kB`;
  const ms = (t: number) => `${t.toFixed(0)} ms`;
  console.log(
    `bare node -e 0: ${ms(bare.wallMs)} wall, ${ms(bare.cpuMs)} CPU; API handler budget ${kb(API_BUNDLE_BUDGET_BYTES)}, ${kb(MAIL_API_BUNDLE_BUDGET_BYTES)} for those that mail\n`,
  );
  console.log(
    `${'function'.padEnd(20)}  ${'size'.padStart(8)}  ${'budget'.padEnd(6)}  ${'cold import wall'.padStart(16)}  ${'CPU'.padStart(14)}  largest inputs`,
  );
  for (const row of rows) {
    const budget = !row.api ? 'task' : row.exempt ? 'exempt' : overBudget(row) ? 'OVER' : 'ok';
    const times = (t: number, base: number) => `${ms(t)} ${(t / base).toFixed(1)}×`;
    console.log(
      [
        row.name.padEnd(20),
        kb(row.bytes).padStart(8),
        budget.padEnd(6),
        times(row.coldImportMs, bare.wallMs).padStart(16),
        times(row.coldImportCpuMs, bare.cpuMs).padStart(14),
        row.largest.map((l) => `${l.input} ${kb(l.bytes)}`).join(', '),
      ].join('  '),
    );
  }
  if (rows.some(overBudget)) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
