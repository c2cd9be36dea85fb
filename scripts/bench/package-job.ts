/**
 * The benchmark line of the forwarding package job: the package of as many forwarded nominations
 * as the bench's round (BENCH_PACKAGE_JOB_NOMINATIONS sets another number; alone, default 3,000), each with its Word form rendered, a stamped scan and two
 * photos, built by the job's own task (use-cases/package-build.ts) in a process of its own and
 * streamed through the real S3 adapter's multipart upload into the local S3. The target: the
 * building process's peak RSS under 512 MB (the package-job function's memory is 1,024 MB), and
 * the ZIP whole — listed, one Word form per nomination, every entry's CRC-32 checked, every scan and
 * photo compared with the SHA-256 recorded for it.
 *
 * The nominations come from an in-memory store in the building process (their forms count in its
 * memory); the scan and photos are one set of bytes read for every nomination (BENCH_PACKAGE_SCAN_KB,
 * default 300, and BENCH_PACKAGE_PHOTO_KB, default 200): at realistic sizes (1.6 MB each) 3,000
 * nominations make a 15 GB package, which the local S3 would write four times over on this disk.
 * Memory does not grow with the package's size — only one nomination's files are held at a time.
 *
 * Runs alone: `npx tsx scripts/bench/package-job.ts` (prints the target line; exits 1 when it fails).
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { s3UploadStorage } from '../../functions/adapters/upload-storage.js';
import type { CampaignJob } from '../../functions/ports/jobs.js';
import { BUILTIN_CAMPAIGNS } from '../../functions/rules/campaigns/index.js';
import { CATEGORY_IDS, type CategoryId } from '../../functions/rules/categories.js';
import type { Nomination } from '../../functions/rules/nomination.js';
import { buildPackage, type PackageBuildDeps } from '../../functions/use-cases/package-build.js';
import { LOCAL_S3_CREDENTIALS, startS3 } from '../../infra/local/s3/index.js';
import { validForms } from '../../test/fixtures/forms.js';
import { memoryAccessLog } from '../../test/support/memory/access-log.js';
import { memoryJobStore } from '../../test/support/memory/jobs.js';
import { memoryNominationStore } from '../../test/support/memory/nominations.js';
import { memoryOf } from './cloud.js';

const TARGET_RSS_MB = 512;
const BUCKET = 'laurel-uploads';
const CAMPAIGN = 'cast-2024';

export interface PackageJobFigures {
  nominations: number;
  peakRssMb: number;
  seconds: number;
  bytes: number;
  entries: number;
  wordForms: number;
  crcChecked: boolean;
  /** Scans and photos in the ZIP whose SHA-256 was compared with the one recorded, and how many differed. */
  filesChecked: number;
  filesMismatched: number;
}

const s3Client = (endpoint: string) =>
  new S3Client({
    endpoint,
    region: 'cn-north-1',
    forcePathStyle: true,
    credentials: LOCAL_S3_CREDENTIALS,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });

/** In the building process: the job's task over `count` forwarded nominations; prints its figures as JSON. */
async function buildInThisProcess(endpoint: string, count: number, scanKb: number, photoKb: number) {
  const scan = randomBytes(scanKb * 1024);
  const photo = randomBytes(photoKb * 1024);
  const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('base64');
  const store = memoryNominationStore();
  const at = '2025-03-01T00:00:00.000Z';
  for (let i = 0; i < count; i += 1) {
    const category = CATEGORY_IDS[i % CATEGORY_IDS.length] as CategoryId;
    const id = `n-pack${String(i).padStart(6, '0')}`;
    const attachment = (kind: 'scan' | 'photo', n: number, bytes: Uint8Array) => ({
      id: `a-${id}-${n}`,
      kind,
      key: `nominations/${id}/${kind}-${n}.${kind === 'scan' ? 'pdf' : 'jpg'}`,
      versionId: 'v1',
      sha256: sha(bytes),
      bytes: bytes.byteLength,
      contentType: kind === 'scan' ? 'application/pdf' : 'image/jpeg',
      uploadedAt: at,
    });
    const nomination = {
      id,
      campaignId: CAMPAIGN,
      unitId: `u-${i % 1000}`,
      unitType: 'provincial-association',
      unitName: `第${i % 1000}推荐单位`,
      category,
      status: 'forwarded',
      version: 1,
      form: validForms[category] as unknown as Record<string, unknown>,
      attachments: [
        attachment('scan', 0, scan),
        attachment('photo', 1, photo),
        attachment('photo', 2, photo),
      ],
      noClassifiedContent: true,
      createdAt: at,
      updatedAt: at,
      submittedAt: at,
      selection: {
        rank: Math.floor(i / CATEGORY_IDS.length) + 1,
        selected: true,
        message: { zh: '', en: '' },
      },
    } as unknown as Nomination;
    await store.create(nomination, {
      nominationId: id,
      at,
      actor: { role: 'system', subjectId: 'bench', name: 'bench' },
      action: 'seeded',
    });
  }
  const real = s3UploadStorage(s3Client(endpoint), BUCKET);
  const jobs = memoryJobStore();
  const job: CampaignJob = {
    id: 'package-all',
    campaignId: CAMPAIGN,
    step: 'package',
    attempt: 1,
    planId: '',
    status: 'running',
    total: 0,
    chunks: 0,
    movedChunks: 0,
    startedAt: at,
    by: {
      role: 'secretariat',
      subjectId: 'bench',
      name: 'bench',
      email: 'bench@example.org',
      campaignId: CAMPAIGN,
    },
    summary: { category: null },
  };
  await jobs.startJob(job, 0);
  // Typed, never cast: a port the task comes to need is a compile error here, not a failed bench.
  const deps: PackageBuildDeps = {
    store,
    jobs,
    campaigns: BUILTIN_CAMPAIGNS,
    clock: { now: () => new Date('2025-03-10T02:00:00Z') },
    // The package records a read of every nominee's form and files (PIPL): kept in this process.
    accessLog: memoryAccessLog(),
    uploads: {
      ...real,
      // The files as recorded: the same bytes for every nomination, their version the recorded one.
      readVersion: async ({ key }: { key: string }) => (key.endsWith('.pdf') ? scan : photo),
      currentVersion: async () => ({ versionId: 'v1', lastModified: new Date(at) }),
    },
  };
  const started = performance.now();
  await buildPackage(deps, { campaignId: CAMPAIGN, jobId: 'package-all', attempt: 1, chunk: 0 });
  const seconds = (performance.now() - started) / 1000;
  const done = await jobs.job(CAMPAIGN, 'package-all');
  const built = done?.summary as { key: string; versionId: string; bytes: number };
  const recorded = { scan: sha(scan), photo: sha(photo) };
  process.stdout.write(
    `${JSON.stringify({ peakRssMb: ownPeakRssMb(), seconds, ...built, recorded, status: done?.status })}\n`,
  );
}

/**
 * This process's own peak resident memory: VmHWM, which starts afresh with the process's image.
 * Not `resourceUsage().maxRSS`: Linux keeps that across fork and exec, so a child spawned by the
 * benchmark — which holds a whole round's figures by then — reported the parent's 1.5 GB as its own.
 */
function ownPeakRssMb(): number {
  const peak = memoryOf(process.pid)?.peak;
  if (peak === undefined) throw new Error('the package job’s memory is read from /proc (Linux only)');
  return peak / 1048576;
}

/**
 * The archive's names, whether every entry's CRC-32 matches its bytes, and each entry's SHA-256
 * (base64, as attachments record theirs), read by Python's zipfile (`testzip` reads each entry
 * whole): Debian's unzip 6.0 shows UTF-8-flagged names of an archive made on Unix garbled,
 * whatever the locale.
 */
export function checkZip(file: string): {
  names: string[];
  crcChecked: boolean;
  sha256: Record<string, string>;
} {
  const script = [
    'import base64,hashlib,json,sys,zipfile',
    'z=zipfile.ZipFile(sys.argv[1])',
    'sha={n:base64.b64encode(hashlib.sha256(z.read(n)).digest()).decode() for n in z.namelist()}',
    'print(json.dumps({"names":z.namelist(),"bad":z.testzip(),"sha256":sha}))',
  ].join('\n');
  const out = JSON.parse(
    execFileSync('python3', ['-c', script, file], { encoding: 'utf8', maxBuffer: 1 << 28 }),
  ) as { names: string[]; bad: string | null; sha256: Record<string, string> };
  return { names: out.names, crcChecked: out.bad === null, sha256: out.sha256 };
}

/** Starts the local S3, builds the package in a child process, then checks the ZIP it stored. */
export async function benchPackageJob(
  nominations = Number(process.env.BENCH_PACKAGE_JOB_NOMINATIONS ?? 3000),
): Promise<{ pass: boolean; line: string; figures?: PackageJobFigures }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'laurel-bench-package-'));
  const s3 = await startS3({ dataDir, port: 0, buckets: [BUCKET] });
  try {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', resolve(import.meta.filename), '--build', s3.endpoint, String(nominations)],
      { stdio: ['ignore', 'pipe', 'pipe'], env: process.env },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    // Shown as it comes, and the error kept for the line: a failed build says why.
    child.stderr.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      err = (err + chunk.toString('utf8')).slice(-20_000);
    });
    const code = await new Promise<number | null>((done) => child.once('close', done));
    const last = out.trim().split('\n').at(-1) ?? '';
    if (code !== 0 || !last.startsWith('{')) {
      const why = err.split('\n').find((l) => /^\w*Error\b/.test(l.trim()));
      return {
        pass: false,
        line: `forwarding package job: the building process failed (exit ${code})${why ? `: ${why.trim()}` : ''}`,
      };
    }
    const built = JSON.parse(last) as {
      peakRssMb: number;
      seconds: number;
      key: string;
      versionId: string;
      bytes: number;
      recorded: { scan: string; photo: string };
    };
    const file = join(dataDir, 'package.zip');
    const object = await s3Client(s3.endpoint).send(
      new GetObjectCommand({ Bucket: BUCKET, Key: built.key, VersionId: built.versionId }),
    );
    await pipeline(object.Body as Readable, createWriteStream(file));
    const { names, crcChecked, sha256 } = checkZip(file);
    // Every scan and photo in the ZIP is byte for byte the file recorded at upload (its SHA-256).
    const attached = names.filter((n) => /\.(pdf|jpg)$/.test(n));
    const mismatched = attached.filter(
      (n) => sha256[n] !== (n.endsWith('.pdf') ? built.recorded.scan : built.recorded.photo),
    );
    const figures: PackageJobFigures = {
      nominations,
      peakRssMb: built.peakRssMb,
      seconds: built.seconds,
      bytes: built.bytes,
      entries: names.length,
      wordForms: names.filter((n) => n.endsWith('/推荐表.docx')).length,
      crcChecked,
      filesChecked: attached.length,
      filesMismatched: mismatched.length,
    };
    const filesWhole = attached.length === 3 * nominations && mismatched.length === 0;
    const pass =
      figures.peakRssMb < TARGET_RSS_MB && crcChecked && filesWhole && figures.wordForms === nominations;
    const line = `forwarding package job: ${nominations} nominations (Word form, scan, 2 photos each) → ${(figures.bytes / 1048576).toFixed(0)} MiB ZIP of ${figures.entries} entries in ${figures.seconds.toFixed(1)} s, streamed by multipart upload; building process peak RSS ${figures.peakRssMb.toFixed(0)} MB; ${figures.wordForms} Word forms listed; every entry's CRC-32 ${crcChecked ? 'verified' : 'NOT verified'}; ${attached.length} scans and photos against their recorded SHA-256, ${mismatched.length} differing (target: RSS < ${TARGET_RSS_MB} MB, the ZIP whole)`;
    return { pass, line, figures };
  } finally {
    await s3.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--build') {
  await buildInThisProcess(
    process.argv[3] ?? '',
    Number(process.argv[4]),
    Number(process.env.BENCH_PACKAGE_SCAN_KB ?? 300),
    Number(process.env.BENCH_PACKAGE_PHOTO_KB ?? 200),
  );
} else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { pass, line } = await benchPackageJob();
  console.log(`${pass ? 'PASS' : 'FAIL'}  ${line}`);
  process.exitCode = pass ? 0 : 1;
}
