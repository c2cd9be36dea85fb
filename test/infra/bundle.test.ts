import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../functions/routes.js';
import {
  API_BUNDLE_BUDGET_BYTES,
  DOCUMENT_FUNCTIONS,
  DOCUMENT_LIBRARIES,
  MAIL_API_BUNDLE_BUDGET_BYTES,
  MAIL_LIBRARIES,
  RUNTIME_SDK_PACKAGES,
} from '../../infra/bundling.js';
import { laurelFunction, REPO_ROOT } from '../../infra/stacks/lambdas.js';
import { bundleFunction } from '../../scripts/bundle-sizes.js';

/**
 * Bundle sizes (issue #7): every API handler ≤ 400 KB minified (700 KB with the SMTP transport), but the document functions
 * (DOCUMENT_FUNCTIONS), and the document libraries only in those. One function (health) is
 * bundled for real by the CDK, and must be byte for byte what scripts/bundle-sizes.ts measures;
 * every function is then bundled with those same options through esbuild's API (faster).
 */

const packageOf = (input: string) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1];
const packagesIn = (meta: Metafile) =>
  new Set(Object.keys(meta.inputs).flatMap((input) => packageOf(input) ?? []));

/** What Lambda's runtime provides (the external SDK), here from the repository's node_modules. */
const linkNodeModules = (dir: string) =>
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');

describe('bundling the health function with the CDK', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'laurel-bundle-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  const spec = FUNCTIONS.find((f) => f.name === 'health');
  if (!spec) throw new Error('no health function');
  const app = new App({ outdir });
  const stack = new Stack(app, 'Bundle', { env: { account: '123456789012', region: 'cn-north-1' } });
  laurelFunction(stack, 'Health', {
    spec,
    stage: 'dev',
    logRetention: RetentionDays.ONE_WEEK,
    environment: {
      LAUREL_STAGE: 'dev',
      LAUREL_TABLE: 'laurel',
      LAUREL_UPLOADS_BUCKET: 'laurel-uploads',
      LAUREL_WEB_BUCKET: 'laurel-web',
      LAUREL_STATE_MACHINE_ARN: '',
      LAUREL_CAMPAIGN_JOB_MACHINE_ARN: '',
      LAUREL_PACKAGE_JOB_MACHINE_ARN: '',
      LAUREL_JOB_WAIT_MS: '20000',
      LAUREL_CAMPAIGN_CACHE_SECONDS: '60',
      LAUREL_WEB_URL: 'https://laurel.example.org',
      LAUREL_MAIL_FROM: 'noreply@laurel.example.org',
      LAUREL_ORIGIN_PROOF: 'o'.repeat(48),
      LAUREL_MAIL_TRANSPORT: 'ses',
      LAUREL_SMTP_SECRET_ARN: '',
      LAUREL_COOKIE_SECURE: 'true',
    },
  });
  app.synth();
  linkNodeModules(outdir);
  const assets = readdirSync(outdir).filter((d) => d.startsWith('asset.'));
  const bundle = join(outdir, assets[0] ?? 'missing', 'index.mjs');

  it('writes one minified ES module with its source map, within the API budget', () => {
    expect(assets).toHaveLength(1);
    expect(statSync(`${bundle}.map`).isFile()).toBe(true);
    const size = statSync(bundle).size;
    expect(size).toBeGreaterThan(10_000);
    expect(size).toBeLessThanOrEqual(API_BUNDLE_BUDGET_BYTES);
  });

  it('is byte for byte the bundle scripts/bundle-sizes.ts measures (one set of options)', async () => {
    const measured = join(outdir, 'measured', 'index.mjs');
    await bundleFunction(spec.entry, measured);
    expect(readFileSync(measured).equals(readFileSync(bundle))).toBe(true);
  });

  it('imports the AWS SDK clients from the runtime and keeps Chinese text as UTF-8', () => {
    const code = readFileSync(bundle, 'utf8');
    for (const sdk of ['@aws-sdk/client-dynamodb', '@aws-sdk/client-s3', '@aws-sdk/client-sfn']) {
      expect(code).toMatch(new RegExp(`from\\s*"${sdk}"`));
    }
    expect(code).toContain('服务器内部错误');
  });

  it('loads in plain Node as ESM and exports the handler (the createRequire banner works)', () => {
    const script = `const m = await import(${JSON.stringify(pathToFileURL(bundle).href)}); process.stdout.write(typeof m.handler);`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: outdir,
      env: { PATH: process.env.PATH, AWS_REGION: 'cn-north-1', POWERTOOLS_LOG_LEVEL: 'SILENT' },
      encoding: 'utf8',
    });
    expect(out).toBe('function');
  });
});

describe('every function bundle', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'laurel-bundles-'));
  const bundles = new Map<string, { bytes: number; packages: Set<string> }>();
  beforeAll(async () => {
    for (const spec of FUNCTIONS) {
      const outfile = join(outdir, spec.name, 'index.mjs');
      const meta = await bundleFunction(spec.entry, outfile);
      bundles.set(spec.name, { bytes: statSync(outfile).size, packages: packagesIn(meta) });
    }
  }, 180_000);
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  const apiFunctions = FUNCTIONS.filter((f) => f.routes.length > 0);

  it('keeps every API handler within 400 KB minified, but the document functions and those that mail (700 KB)', () => {
    const over = apiFunctions
      .filter((f) => !(f.name in DOCUMENT_FUNCTIONS))
      .map((f) => ({
        name: f.name,
        bytes: bundles.get(f.name)?.bytes ?? Number.POSITIVE_INFINITY,
        budget: f.grants.sendsMail ? MAIL_API_BUNDLE_BUDGET_BYTES : API_BUNDLE_BUDGET_BYTES,
      }))
      .filter((b) => b.bytes > b.budget);
    expect(over).toEqual([]);
    expect(apiFunctions.some((f) => f.grants.sendsMail)).toBe(true);
  });

  it('keeps the SMTP transport out of every function that does not send mail', () => {
    const leaks = FUNCTIONS.filter((f) => !f.grants.sendsMail).flatMap((f) =>
      MAIL_LIBRARIES.filter((lib) => bundles.get(f.name)?.packages.has(lib)).map(
        (lib) => `${f.name}: ${lib}`,
      ),
    );
    expect(leaks).toEqual([]);
  });

  it('keeps docx, exceljs, pdf-lib and the image decoders out of every other function', () => {
    const leaks = FUNCTIONS.filter((f) => !(f.name in DOCUMENT_FUNCTIONS)).flatMap((f) =>
      DOCUMENT_LIBRARIES.filter((lib) => bundles.get(f.name)?.packages.has(lib)).map(
        (lib) => `${f.name}: ${lib}`,
      ),
    );
    expect(leaks).toEqual([]);
  });

  it('bundles no AWS SDK package the runtime provides', () => {
    const bundled = [...bundles].flatMap(([name, b]) =>
      RUNTIME_SDK_PACKAGES.filter((sdk) => b.packages.has(sdk)).map((sdk) => `${name}: ${sdk}`),
    );
    expect(bundled).toEqual([]);
  });

  it('exempts only functions that exist (the package job is a task, not an API handler)', () => {
    for (const name of Object.keys(DOCUMENT_FUNCTIONS)) {
      expect(FUNCTIONS.map((f) => f.name)).toContain(name);
    }
  });
});
