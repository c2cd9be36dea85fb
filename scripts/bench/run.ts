import { execFileSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  fdatasyncSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem, type } from 'node:os';
import { join, resolve } from 'node:path';
import { FUNCTIONS, functionSpec } from '../../functions/routes.js';
import { BUILTIN_CAMPAIGNS } from '../../functions/rules/campaigns/index.js';
import { Round } from './actors.js';
import { type BenchCloud, cpuSeconds, memoryOf, startBenchCloud } from './cloud.js';
import { estimateCost, type LambdaUse, roundCalendarOf, type Usage } from './cost.js';
import { measureDocuments } from './documents.js';
import {
  type CallerTallies,
  callersDifference,
  difference,
  startDynamoCounter,
  type Tally,
  totals,
} from './dynamo-counter.js';
import { Executions } from './executions.js';
import { makePlan } from './plan.js';
import { type BundleFigure, type CpuSeconds, type Figures, type StageFigure, sumTallies } from './report.js';
import { Latencies, mean, quantile, seconds } from './stats.js';
import { startStoreProbe } from './store-probe.js';
import { taskStatesOfMachine } from './tasks.js';

/** Anonymous visits of the public notice, each its JSON and its page, whose table requests are counted. */
const PUBLIC_NOTICE_VISITS = 20;

/** The memory the route table gives a function (Lambda bills GB-seconds). */
const functionMemoryMb = (name: string) => functionSpec(name).limits.memoryMb;

/**
 * One run of the benchmark: a fresh local cloud, the national round through all six stages by
 * scripted people, then the figures that need no cloud (histories, bundles, documents, cost).
 */

export interface BenchOptions {
  nominations: number;
  concurrency: number;
  /** Fraction of nominations whose files are uploaded for real (the rest are seeded). */
  uploadSample: number;
  /** Data folder; default a new folder on tmpfs (/dev/shm) when there is one, removed at the end. */
  dataDir?: string;
  /** Timed runs per bundle in scripts/bundle-sizes.ts; 0 skips the bundles. */
  bundleRuns: number;
  /** Only these functions' bundles (default: every function). */
  bundlesOnly?: readonly string[];
  /** Nominations in the in-process forwarding package. */
  packageNominations: number;
  /**
   * How long a handler may run locally. The local cloud allows 30 s, as API Gateway does; at
   * thousands of nominations the campaign-wide steps take longer, so the benchmark allows more
   * to measure them, and reports every request that would not fit in AWS.
   */
  lambdaTimeoutMs: number;
  command: string;
  print: (line: string) => void;
  /** Tally each caller's requests apart by the items they touch (the store's cost test). */
  itemDetail?: boolean;
}

const TABLE = 'laurel';
const STATE_MACHINE_ARN = 'arn:aws-cn:states:cn-north-1:000000000000:stateMachine:laurel-nomination';
/** The campaign-wide jobs' machine (selection, publicity, release): infra/local/cloud.ts names it so. */
const CAMPAIGN_JOB_MACHINE_ARN = 'arn:aws-cn:states:cn-north-1:000000000000:stateMachine:laurel-campaign-job';
/** Callback states → the function behind them, for Lambda cost. */
const TASK_FUNCTIONS: Record<string, string> = {
  ValidateSubmission: 'validate-submission',
  AwaitScreening: 'await-step',
  AwaitResubmission: 'await-step',
  AwaitReviews: 'await-step',
  AwaitSelection: 'await-step',
  AwaitPublicity: 'await-step',
  AssignExperts: 'pipeline-step',
  AggregateScores: 'pipeline-step',
  Forward: 'pipeline-step',
  Release: 'pipeline-step',
  // The campaign jobs' machine: every state runs the campaign-job function.
  PlanJob: 'campaign-job',
  ApplyChunk: 'campaign-job',
  MarkFailed: 'campaign-job',
};

function measureFsyncMs(): number {
  const dir = mkdtempSync(join(tmpdir(), 'laurel-bench-fsync-'));
  try {
    const fd = openSync(join(dir, 'probe'), 'w');
    const block = Buffer.alloc(4096, 1);
    const started = performance.now();
    const times = 40;
    for (let i = 0; i < times; i++) {
      writeSync(fd, block);
      fdatasyncSync(fd);
    }
    const ms = (performance.now() - started) / times;
    closeSync(fd);
    return ms;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function dataFolder(named: string | undefined): { dir: string; temporary: boolean; tmpfs: boolean } {
  if (named) {
    const dir = resolve(named);
    if (existsSync(dir) && readdirSync(dir).length > 0)
      throw new Error(`BENCH_DATA_DIR ${dir} is not empty: the benchmark starts on fresh data`);
    mkdirSync(dir, { recursive: true });
    return { dir, temporary: false, tmpfs: dir.startsWith('/dev/shm/') };
  }
  const tmpfs = existsSync('/dev/shm') && process.platform === 'linux';
  return { dir: mkdtempSync(join(tmpfs ? '/dev/shm' : tmpdir(), 'laurel-bench-')), temporary: true, tmpfs };
}

const REPO_ROOT = resolve(import.meta.dirname, '../..');

/** The commit the run measures, and whether the working tree differed from it. */
function codeVersion(): string {
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  try {
    const commit = git('rev-parse', '--short', 'HEAD');
    return git('status', '--porcelain', '--untracked-files=no')
      ? `${commit} with uncommitted changes`
      : commit;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

export async function runBench(options: BenchOptions): Promise<Figures> {
  const print = options.print;
  const started = performance.now();
  const log = (line: string) =>
    print(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}`);
  const n = options.nominations;
  const machine = {
    cpus: cpus().length,
    model: cpus()[0]?.model.trim() ?? 'unknown',
    memoryBytes: totalmem(),
    node: process.versions.node,
    os: `${type()} ${release()}`,
    loadAtStart: loadavg(),
    fsyncMs: measureFsyncMs(),
    code: codeVersion(),
  };
  const data = dataFolder(options.dataDir);
  const plan = makePlan(n, options.uploadSample);
  log(
    `plan: ${n} nominations from ${plan.units.length} units, ${plan.experts.length} experts; ${plan.nominations.filter((x) => x.realUploads).length} with real uploads; data in ${data.dir}`,
  );

  const latencies = new Latencies();
  const counter = await startDynamoCounter('http://127.0.0.1:1', { itemDetail: options.itemDetail ?? false });
  let cloud: BenchCloud | undefined;
  let round: Round | undefined;
  let executions: Executions | undefined;
  let probeResult: Figures['probe'] | undefined;
  const memory: Figures['memory'] = {
    benchPeak: 0,
    cloudPeak: 0,
    javaPeak: 0,
    cloudHeap: { peakLiveBytes: 0, peakOldGenerationBytes: 0, limitBytes: 0, heapLimitBytes: 0 },
  };
  const offsets = { cloud: 0, java: 0 };
  const sampleMemory = () => {
    memory.benchPeak = Math.max(memory.benchPeak, process.memoryUsage().rss);
    if (!cloud) return;
    memory.cloudPeak = Math.max(memory.cloudPeak, memoryOf(cloud.pid)?.peak ?? 0);
    if (cloud.javaPid) memory.javaPeak = Math.max(memory.javaPeak, memoryOf(cloud.javaPid)?.peak ?? 0);
  };
  const sampler = setInterval(sampleMemory, 1000);
  const cpuNow = (): CpuSeconds => {
    const own = process.cpuUsage();
    return {
      bench: (own.user + own.system) / 1e6,
      cloud: offsets.cloud + (cloud ? (cpuSeconds(cloud.pid) ?? 0) : 0),
      java: offsets.java + (cloud?.javaPid ? (cpuSeconds(cloud.javaPid) ?? 0) : 0),
    };
  };
  /** The HTTP requests the scripted people made so far, by route. */
  const routeCounts = () =>
    Object.fromEntries(latencies.names().map((route) => [route, latencies.of(route).length]));
  /** Where a stage starts: the time, the CPU used and the requests counted so far. */
  const markNow = () => ({
    at: Date.now(),
    cpu: cpuNow(),
    tally: counter.snapshot(),
    callers: counter.callers(),
    routes: routeCounts(),
  });
  const stopCloud = async () => {
    if (!cloud) return;
    sampleMemory();
    offsets.cloud += cpuSeconds(cloud.pid) ?? 0;
    offsets.java += cloud.javaPid ? (cpuSeconds(cloud.javaPid) ?? 0) : 0;
    const stopping = cloud;
    cloud = undefined;
    const heap = await stopping.heap().catch(() => undefined);
    if (heap && memory.cloudHeap) {
      const kept = memory.cloudHeap;
      kept.peakLiveBytes = Math.max(kept.peakLiveBytes, heap.peakLiveBytes);
      kept.peakOldGenerationBytes = Math.max(kept.peakOldGenerationBytes, heap.peakOldGenerationBytes);
      kept.limitBytes = heap.limitBytes;
      kept.heapLimitBytes = heap.heapLimitBytes;
    }
    await stopping.stop();
  };
  const interrupted = (signal: NodeJS.Signals) => {
    print(`\n${signal}: stopping the local cloud…`);
    void stopCloud().finally(() => {
      if (data.temporary) rmSync(data.dir, { recursive: true, force: true });
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);

  try {
    // ── Setup ───────────────────────────────────────────────────────────────────────────────
    const setupStart = markNow();
    cloud = await startBenchCloud({ dataDir: data.dir, counter, lambdaTimeoutMs: options.lambdaTimeoutMs });
    log(`local cloud up at ${cloud.urls.web}, campaign clock ${cloud.now().toISOString()}`);
    round = new Round(
      cloud.urls.web.replace(/\/$/, ''),
      cloud.urls.mail,
      latencies,
      plan,
      options.concurrency,
      counter.endpoint,
      TABLE,
    );
    executions = new Executions(cloud.urls.stepfunctions, STATE_MACHINE_ARN);
    await round.signInSecretariat(cloud.signInLinks);
    await round.inviteEveryone();
    await round.unitsSignIn();
    const setup = closeStage(
      'setup',
      setupStart,
      Date.now(),
      `cloud started; ${plan.units.length} units and ${plan.experts.length} experts invited by mail; every unit signed in with its link`,
    );
    log(`setup done in ${seconds(setup.ms)}`);

    const waitMs = 180_000 + n * 400;
    const stages: StageFigure[] = [];
    const ids = () => round?.ids ?? [];

    // ── 1. Submission ───────────────────────────────────────────────────────────────────────
    let mark = markNow();
    const firstOfPlan = plan.nominations[0];
    if (!firstOfPlan) throw new Error('an empty plan');
    const probe = startStoreProbe({
      endpoint: counter.endpoint,
      tableName: TABLE,
      sample: Round.storedShape(firstOfPlan),
    });
    try {
      await round.submitAll();
    } finally {
      probeResult = await probe.stop();
    }
    let settled = await executions.settledIn(ids(), 'AwaitScreening', waitMs);
    stages.push(
      closeStage(
        '1. submission',
        mark,
        settled,
        `${n} drafts, forms, ${round.uploads.real} files uploaded and ${round.uploads.seeded} attachment records seeded, ${n} submits; every execution waiting for screening`,
      ),
    );
    log(`${stages.at(-1)?.name}: ${seconds(stages.at(-1)?.ms ?? 0)}`);

    // ── 2. Screening ────────────────────────────────────────────────────────────────────────
    mark = markNow();
    await round.screenAll();
    settled = await executions.settledIn(ids(), 'AwaitReviews', waitMs);
    stages.push(
      closeStage(
        '2. screening',
        mark,
        settled,
        `${n} passed; three experts assigned to each and mailed their links`,
      ),
    );
    log(`${stages.at(-1)?.name}: ${seconds(stages.at(-1)?.ms ?? 0)}`);

    // ── 3. Expert review ────────────────────────────────────────────────────────────────────
    mark = markNow();
    const perExpert = await round.reviewAll();
    const reviews = [...perExpert.values()].reduce((s, c) => s + c, 0);
    settled = await executions.settledIn(ids(), 'AwaitSelection', waitMs);
    stages.push(
      closeStage(
        '3. expert review',
        mark,
        settled,
        `${reviews} reviews through e-mailed links by ${perExpert.size} experts (${Math.min(...perExpert.values())}–${Math.max(...perExpert.values())} each); scores aggregated`,
      ),
    );
    log(`${stages.at(-1)?.name}: ${seconds(stages.at(-1)?.ms ?? 0)}`);

    // ── 4. Selection and forwarding ─────────────────────────────────────────────────────────
    mark = markNow();
    const selection = await round.selection();
    settled = await executions.settledIn(ids(), 'AwaitPublicity', waitMs);
    stages.push(
      closeStage(
        '4. selection and forwarding',
        mark,
        settled,
        `ranking of ${selection.ranked} previewed; selection confirmed (${selection.selected} selected) by one request and its job; each forwarded to publicity`,
      ),
    );
    log(`${stages.at(-1)?.name}: ${seconds(stages.at(-1)?.ms ?? 0)}`);

    // ── 5. Publicity, and the week passing ──────────────────────────────────────────────────
    mark = markNow();
    const publicity = await round.openPublicity();
    // Visitors of the public notice, the round otherwise at rest: every table request in between is theirs.
    const beforeVisits = counter.snapshot();
    const visits = await round.visitPublicNotice(PUBLIC_NOTICE_VISITS);
    const visitTally = totals(difference(counter.snapshot(), beforeVisits));
    const publicNotice = { visits, tableReads: visitTally.readRequests, tableRequests: visitTally.requests };
    const restartFrom = Date.now();
    const later = new Date(Date.parse(publicity.closesAt) + 3_600_000).toISOString();
    await stopCloud();
    cloud = await startBenchCloud({
      dataDir: data.dir,
      clockStart: later,
      counter,
      lambdaTimeoutMs: options.lambdaTimeoutMs,
    });
    round.moved(cloud.urls.web.replace(/\/$/, ''), cloud.urls.mail);
    executions.destroy();
    executions = new Executions(cloud.urls.stepfunctions, STATE_MACHINE_ARN);
    await round.signInSecretariat(cloud.signInLinks);
    const restartMs = Date.now() - restartFrom;
    stages.push(
      closeStage(
        '5. publicity',
        mark,
        Date.now(),
        `publicity opened by one request and its job (${publicity.onNotice} on the public notice); the cloud stopped and started again ${seconds(restartMs)} later with the clock past the notice period`,
      ),
    );
    log(`${stages.at(-1)?.name}: ${seconds(stages.at(-1)?.ms ?? 0)}`);

    // ── 6. Release ──────────────────────────────────────────────────────────────────────────
    mark = markNow();
    const released = await round.release();
    const finalList = await round.finalList();
    const listedAt = Date.now();
    settled = Math.max(listedAt, await executions.succeeded(ids(), waitMs));
    stages.push(
      closeStage(
        '6. release',
        mark,
        settled,
        `released ${released.released} in ${released.categories} categories by one request and its job; final list of ${finalList}; every execution succeeded`,
      ),
    );
    log(`${stages.at(-1)?.name}: ${seconds(stages.at(-1)?.ms ?? 0)}`);
    const endToEndMs = stages.reduce((s, st) => s + st.ms, 0);
    log(`end to end ${seconds(endToEndMs)}`);

    // ── Checks that the round really happened ───────────────────────────────────────────────
    const stillRunning = await executions.running();
    const problems = [
      selection.ranked !== n && `ranked ${selection.ranked}`,
      selection.selected !== n && `selected ${selection.selected}`,
      publicity.onNotice !== n && `on notice ${publicity.onNotice}`,
      released.released !== n && `released ${released.released}`,
      finalList !== n && `final list ${finalList}`,
      reviews !== 3 * n && `reviews ${reviews}`,
      stillRunning !== 0 && `${stillRunning} executions still running`,
    ].filter(Boolean);
    if (problems.length > 0) throw new Error(`the round did not go as planned: ${problems.join(', ')}`);

    // ── Figures that need the cloud, outside the timed run ──────────────────────────────────
    log('reading every execution history…');
    const sfn = await executions.histories(ids());
    // The campaign-wide jobs run in executions of their own, billed as the nominations' are.
    const campaignJobs = new Executions(cloud.urls.stepfunctions, CAMPAIGN_JOB_MACHINE_ARN);
    const jobs = await campaignJobs
      .histories(await campaignJobs.allNames())
      .finally(() => campaignJobs.destroy());
    const mailKinds = await round.mailKinds();
    const mails = [...mailKinds.values()].reduce((s, c) => s + c, 0);
    sampleMemory();
    await stopCloud();
    executions.destroy();
    round.destroy();
    // The benchmark's own peak is taken here: what follows (bundles, documents) is not the round.
    clearInterval(sampler);
    memory.benchPeak = Math.max(memory.benchPeak, process.resourceUsage().maxRSS * 1024);

    // ── Bundles, documents, cost ────────────────────────────────────────────────────────────
    let bundles: Figures['bundles'];
    if (options.bundleRuns > 0) {
      log('bundling every handler and timing its cold import (scripts/bundle-sizes.ts)…');
      bundles = await measureBundleFigures(options.bundleRuns, options.bundlesOnly);
    } else {
      bundles = { error: 'BENCH_BUNDLE_RUNS=0' };
    }
    log('rendering Word forms and a forwarding package in process…');
    const documents = await measureDocuments(plan.nominations.slice(0, 200), options.packageNominations);

    const realNominations = plan.nominations.filter((x) => x.realUploads).length;
    const all = [setup, ...stages];
    const everything = sumTallies(all.map((s) => s.tally));
    const usage = await usageFor({
      n,
      latencies,
      sfn,
      jobs,
      tally: everything,
      mails,
      seededRecords: round.uploads.seeded,
      files: round.uploads.real + round.uploads.seeded,
      photosAndScans: plan.nominations.reduce((s, x) => s + 1 + x.photos, 0),
    });
    const cost = estimateCost(usage);

    const categories = new Map<string, number>();
    for (const x of plan.nominations) categories.set(x.category, (categories.get(x.category) ?? 0) + 1);
    return {
      date: new Date(),
      command: options.command,
      machine,
      settings: {
        nominations: n,
        concurrency: options.concurrency,
        dataDir: data.dir,
        dataOnTmpfs: data.tmpfs,
        lambdaTimeoutMs: options.lambdaTimeoutMs,
        units: plan.units.length,
        unitTypes: round.counts().unitTypes,
        experts: plan.experts.length,
        categories,
      },
      setup,
      stages,
      endToEndMs,
      restartMs,
      latencies,
      probe: probeResult ?? { pairs: 0, latencies: new Latencies() },
      memory,
      sfn,
      jobs,
      taskStates: [...taskStatesOfMachine('nomination'), ...taskStatesOfMachine('campaign-job')],
      dynamoLatencies: counter.latencies(),
      writeDetail: counter.writeDetail(),
      largestResponse: { ...round.largestResponse },
      publicNotice,
      uploads: {
        realNominations,
        real: round.uploads.real,
        realBytes: round.uploads.realBytes,
        seeded: round.uploads.seeded,
      },
      outcome: {
        ranked: selection.ranked,
        selected: selection.selected,
        onNotice: publicity.onNotice,
        released: released.released,
        categories: released.categories,
        finalList,
        reviews,
        mails,
        mailKinds,
      },
      bundles,
      documents,
      usage,
      cost,
    };
  } catch (error) {
    const logs = cloud?.output();
    if (error instanceof Error && logs) error.message += `\n── the local cloud's last lines ──\n${logs}`;
    throw error;
  } finally {
    clearInterval(sampler);
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await stopCloud();
    executions?.destroy();
    round?.destroy();
    await counter.stop();
    if (data.temporary) rmSync(data.dir, { recursive: true, force: true });
  }

  function closeStage(
    name: string,
    from: {
      at: number;
      cpu: CpuSeconds;
      tally: Tally;
      callers: CallerTallies;
      routes: Record<string, number>;
    },
    endedAt: number,
    note: string,
  ): StageFigure {
    const cpu = cpuNow();
    const routes = Object.entries(routeCounts())
      .map(([route, count]) => [route, count - (from.routes[route] ?? 0)] as const)
      .filter(([, count]) => count > 0);
    return {
      name,
      startedAt: from.at,
      ms: Math.max(0, endedAt - from.at),
      cpu: {
        bench: cpu.bench - from.cpu.bench,
        cloud: cpu.cloud - from.cpu.cloud,
        java: cpu.java - from.cpu.java,
      },
      tally: difference(counter.snapshot(), from.tally),
      callers: callersDifference(counter.callers(), from.callers),
      routes: Object.fromEntries(routes),
      note,
    };
  }
}

async function measureBundleFigures(runs: number, only?: readonly string[]): Promise<Figures['bundles']> {
  try {
    const bundleSizes = await import('../bundle-sizes.js');
    const { BUNDLE_CEILING_BYTES } = await import('../../infra/bundling.js');
    const bareNodeMs = await bundleSizes.measureBareNode(Math.max(3, runs));
    const measured = await bundleSizes.measureBundles({ runs, otherWay: true, ...(only ? { only } : {}) });
    const rows: BundleFigure[] = measured.map((r) => ({
      name: r.name,
      bytes: r.bytes,
      coldImportMs: r.coldImportMs,
      bareNodeMs: r.bare.wallMs,
      api: r.api,
      documents: r.exempt,
      sdkFromRuntime: r.sdkFromRuntime,
      ...(r.otherWay
        ? {
            otherWay: {
              bytes: r.otherWay.bytes,
              coldImportMs: r.otherWay.coldImportMs,
              bareNodeMs: r.otherWay.bare.wallMs,
            },
          }
        : {}),
    }));
    return { rows, bareNodeMs, budgetBytes: BUNDLE_CEILING_BYTES };
  } catch (error) {
    return {
      error: `scripts/bundle-sizes.ts failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
    };
  }
}

/** What the run used, in the units AWS bills: Lambda per function, requests, transitions, capacity, mails, S3. */
async function usageFor(input: {
  n: number;
  latencies: Latencies;
  sfn: Figures['sfn'];
  jobs: Figures['jobs'];
  tally: Tally;
  mails: number;
  seededRecords: number;
  files: number;
  photosAndScans: number;
}): Promise<Usage> {
  const routeFunction = new Map(
    FUNCTIONS.flatMap((f) => f.routes.map((r) => [r.route as string, f.name] as const)),
  );
  const lambdas: LambdaUse[] = [];
  let apiRequests = 0;
  for (const route of input.latencies.names()) {
    const name = routeFunction.get(route);
    if (!name) continue;
    const values = input.latencies.of(route);
    // Seeded attachment records stand for a presign and a record request each.
    const seeded =
      route === 'POST /api/nominations/{id}/uploads' || route === 'POST /api/nominations/{id}/attachments'
        ? input.seededRecords
        : 0;
    const invocations = values.length + seeded;
    apiRequests += invocations;
    lambdas.push({ name, invocations, msEach: quantile(values, 0.5), memoryMb: functionMemoryMb(name) });
  }
  for (const [state, count] of input.sfn.taskInvocations) {
    const name = TASK_FUNCTIONS[state];
    if (!name) continue;
    lambdas.push({
      name,
      invocations: count,
      msEach: quantile(input.sfn.taskMs.get(state) ?? [], 0.5) || 1,
      memoryMb: functionMemoryMb(name),
    });
  }
  // A round's few job tasks differ widely (planning against moving a chunk): their mean, not a median.
  for (const [state, count] of input.jobs.taskInvocations) {
    const name = TASK_FUNCTIONS[state];
    if (!name) throw new Error(`the campaign job's state ${state} runs no function the benchmark knows`);
    lambdas.push({
      name,
      invocations: count,
      msEach: mean(input.jobs.taskMs.get(state) ?? []) || 1,
      memoryMb: functionMemoryMb(name),
    });
  }
  let writeUnits = 0;
  let readUnits = 0;
  for (const t of Object.values(input.tally)) {
    writeUnits += t.writeUnits;
    readUnits += t.readUnits;
  }
  return {
    nominations: input.n,
    lambdas,
    apiRequests,
    stateTransitions: input.sfn.stateTransitions,
    jobStateTransitions: input.jobs.stateTransitions,
    writeUnits,
    readUnits,
    // Each file POSTed once; read back once for inspection; scan and photos read for the package and by three experts.
    s3Puts: input.files,
    s3Gets: input.files + input.photosAndScans * 4,
    storedBytesPerNomination: 5_000_000,
    mails: input.mails,
    // The bench's clock is compressed: no wait of its round lasts a day, so waiting is modelled
    // over a real round of the campaign it runs (cast-2024).
    calendar: roundCalendarOf(campaignOfTheRound()),
  };
}

function campaignOfTheRound() {
  const campaign = BUILTIN_CAMPAIGNS.get('cast-2024');
  if (!campaign) throw new Error('the bench runs cast-2024, which is not built in');
  return campaign;
}
