import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../functions/routes.js';
import {
  BUNDLE_CEILING_BYTES,
  DOCUMENT_FUNCTIONS,
  DOCUMENT_LIBRARIES,
  installedModulesFor,
  LAMBDA_NODE_OPTIONS,
  MAIL_LIBRARIES,
  RUNTIME_SDK_FUNCTIONS,
  RUNTIME_SDK_PACKAGES,
  sdkFromRuntime,
} from '../../infra/bundling.js';
import { laurelFunction, REPO_ROOT } from '../../infra/stacks/lambdas.js';
import { bundleFunction, CHILD_ENV } from '../../scripts/bundle-sizes.js';

/**
 * Bundle sizes (the cost issue): every function ≤ 1 MB minified, the AWS SDK inside, but the
 * document functions (DOCUMENT_FUNCTIONS), and the document libraries only in those. One function
 * (health) is bundled for real by the CDK, and must be byte for byte what scripts/bundle-sizes.ts
 * measures; every function is then bundled with those same options through esbuild's API (faster).
 */

const packageOf = (input: string) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1];
const packagesIn = (meta: Metafile) =>
  new Set(Object.keys(meta.inputs).flatMap((input) => packageOf(input) ?? []));
/** The packages with code in the output: what tree-shaking kept of what was read. */
const packagesOut = (meta: Metafile) =>
  new Set(
    Object.values(meta.outputs).flatMap((output) =>
      Object.entries(output.inputs).flatMap(([input, { bytesInOutput }]) =>
        bytesInOutput > 0 ? (packageOf(input) ?? []) : [],
      ),
    ),
  );

/** Every path of an SDK package in a bundle's inputs: a second path would be a second release. */
const sdkCopies = (meta: Metafile) => {
  const copies = new Map<string, Set<string>>();
  for (const input of Object.keys(meta.inputs)) {
    const match = /^(.*node_modules\/(@aws-sdk|@smithy)\/[^/]+)\//.exec(input);
    if (!match?.[1] || !match[2]) continue;
    const name = match[1].slice(match[1].lastIndexOf(`${match[2]}/`));
    copies.set(name, (copies.get(name) ?? new Set()).add(match[1]));
  }
  return copies;
};

/** A function's environment as the stack gives it (the deployment's values made up), mailing by SES. */
const ENVIRONMENT = {
  LAUREL_STAGE: 'dev',
  LAUREL_TABLE: 'laurel',
  LAUREL_UPLOADS_BUCKET: 'laurel-uploads',
  LAUREL_WEB_BUCKET: 'laurel-web',
  LAUREL_STATE_MACHINE_ARN: '',
  LAUREL_CAMPAIGN_JOB_MACHINE_ARN: '',
  LAUREL_PACKAGE_JOB_MACHINE_ARN: '',
  LAUREL_CAMPAIGN_CACHE_SECONDS: '60',
  LAUREL_WEB_URL: 'https://laurel.example.org',
  LAUREL_MAIL_FROM: 'noreply@laurel.example.org',
  LAUREL_ORIGIN_PROOF: 'o'.repeat(48),
  LAUREL_MAIL_TRANSPORT: 'ses',
  LAUREL_SMTP_SECRET_ARN: '',
  LAUREL_COOKIE_SECURE: 'true',
} as const;

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
    environment: ENVIRONMENT,
  });
  app.synth();
  const assets = readdirSync(outdir).filter((d) => d.startsWith('asset.'));
  const bundle = join(outdir, assets[0] ?? 'missing', 'index.mjs');

  it('writes one minified ES module with its source map, within the 1 MB ceiling', () => {
    expect(assets).toHaveLength(1);
    expect(statSync(`${bundle}.map`).isFile()).toBe(true);
    const size = statSync(bundle).size;
    expect(size).toBeGreaterThan(10_000);
    expect(size).toBeLessThanOrEqual(BUNDLE_CEILING_BYTES);
  });

  it('runs with the Node options scripts/bundle-sizes.ts times every import with: no source maps read at a cold start', () => {
    const template = JSON.parse(readFileSync(join(outdir, 'Bundle.template.json'), 'utf8')) as {
      Resources: Record<
        string,
        { Type: string; Properties?: { Environment?: { Variables?: Record<string, string> } } }
      >;
    };
    const [fn] = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    const variables = fn?.Properties?.Environment?.Variables ?? {};
    expect(variables.LAUREL_STAGE).toBe('dev');
    expect(variables.NODE_OPTIONS ?? '').toBe(LAMBDA_NODE_OPTIONS);
    expect(CHILD_ENV.NODE_OPTIONS).toBe(LAMBDA_NODE_OPTIONS);
    expect(LAMBDA_NODE_OPTIONS).not.toContain('--enable-source-maps');
  });

  it('is byte for byte the bundle scripts/bundle-sizes.ts measures (one set of options)', async () => {
    const measured = join(outdir, 'measured', 'index.mjs');
    await bundleFunction(spec, measured);
    expect(readFileSync(measured).equals(readFileSync(bundle))).toBe(true);
  });

  it('bundles the AWS SDK clients (nothing left for the runtime to provide) and keeps Chinese text as UTF-8', () => {
    const code = readFileSync(bundle, 'utf8');
    expect(code.match(/from\s*"@aws-sdk\/[^"]*"/g) ?? []).toEqual([]);
    // The one SDK package required at run time is optional, in a try: SigV4a's CRT signer.
    expect(new Set(code.match(/require\("@aws-sdk\/[^"]*"\)/g) ?? [])).toEqual(
      new Set(['require("@aws-sdk/signature-v4-crt")']),
    );
    expect(code).toContain('DescribeTable');
    expect(code).toContain('服务器内部错误');
  });

  it('takes node:http and node:https as CommonJS, never as ES modules (whose facade loads undici)', () => {
    const code = readFileSync(bundle, 'utf8');
    expect(code.match(/(from|import)\s*\(?"(node:)?https?"/g) ?? []).toEqual([]);
    expect(code).toContain('process.getBuiltinModule("node:https")');
  });

  it('loads in plain Node as ESM, with no node_modules beside it, and exports the handler (the createRequire banner works)', () => {
    const script = `const m = await import(${JSON.stringify(pathToFileURL(bundle).href)}); process.stdout.write(typeof m.handler);`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: outdir,
      env: { PATH: process.env.PATH, AWS_REGION: 'cn-north-1', POWERTOOLS_LOG_LEVEL: 'SILENT' },
      encoding: 'utf8',
    });
    expect(out).toBe('function');
  });
});

describe('bundling a function that mails, for a deployment that mails by SMTP, with the CDK', () => {
  // The China regions' transport: nodemailer is not in the bundle but installed beside it from
  // package-lock.json (NodejsFunction nodeModules, npm ci in the asset). The local cloud runs the
  // sources with the repository's node_modules, so only the asset shows the first mail can load it.
  const outdir = mkdtempSync(join(tmpdir(), 'laurel-bundle-smtp-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));
  let asset = '';

  beforeAll(() => {
    const spec = FUNCTIONS.find((f) => f.name === 'invitations');
    if (!spec?.grants.sendsMail) throw new Error('invitations no longer sends mail: pick another');
    const app = new App({ outdir });
    const stack = new Stack(app, 'Mailer', { env: { account: '123456789012', region: 'cn-north-1' } });
    laurelFunction(stack, 'Invitations', {
      spec,
      stage: 'dev',
      logRetention: RetentionDays.ONE_WEEK,
      environment: {
        ...ENVIRONMENT,
        LAUREL_MAIL_TRANSPORT: 'smtp',
        LAUREL_SMTP_SECRET_ARN: 'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:smtp',
      },
    });
    app.synth();
    asset = join(outdir, readdirSync(outdir).find((d) => d.startsWith('asset.')) ?? 'missing');
  }, 240_000);

  it('installs nodemailer beside the bundle, from the lock file, where the first mail imports it', () => {
    const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version?: string }>;
    };
    const installed = JSON.parse(
      readFileSync(join(asset, 'node_modules/nodemailer/package.json'), 'utf8'),
    ) as {
      version: string;
    };
    expect(installed.version).toBe(lock.packages['node_modules/nodemailer']?.version);
    // The bundle's own dynamic imports, resolved as Lambda resolves them: from the asset alone
    // (the temporary folder has no node_modules above it).
    const script = `const [m, t] = await Promise.all([import('nodemailer/lib/mailer'), import('nodemailer/lib/smtp-transport')]); process.stdout.write(typeof m.default + ' ' + typeof t.default);`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: asset,
      env: { PATH: process.env.PATH },
      encoding: 'utf8',
    });
    expect(out).toBe('function function');
    const bundle = readFileSync(join(asset, 'index.mjs'), 'utf8');
    expect(bundle).toContain('nodemailer/lib/smtp-transport');
  });
});

describe('every function bundle', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'laurel-bundles-'));
  const bundles = new Map<
    string,
    { bytes: number; packages: Set<string>; kept: Set<string>; meta: Metafile }
  >();
  beforeAll(async () => {
    for (const spec of FUNCTIONS) {
      const outfile = join(outdir, spec.name, 'index.mjs');
      const meta = await bundleFunction(spec, outfile);
      bundles.set(spec.name, {
        bytes: statSync(outfile).size,
        packages: packagesIn(meta),
        kept: packagesOut(meta),
        meta,
      });
    }
  }, 180_000);
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('keeps every function within 1 MB minified, the SDK inside, but the document functions', () => {
    const over = FUNCTIONS.filter((f) => !(f.name in DOCUMENT_FUNCTIONS))
      .map((f) => ({ name: f.name, bytes: bundles.get(f.name)?.bytes ?? Number.POSITIVE_INFINITY }))
      .filter((b) => b.bytes > BUNDLE_CEILING_BYTES);
    expect(over).toEqual([]);
  });

  it('keeps the SMTP transport out of every bundle, and installs it beside those that send mail alone', () => {
    const leaks = FUNCTIONS.flatMap((f) =>
      MAIL_LIBRARIES.filter((lib) => bundles.get(f.name)?.packages.has(lib)).map(
        (lib) => `${f.name}: ${lib}`,
      ),
    );
    expect(leaks).toEqual([]);
    const installed = FUNCTIONS.filter((f) => installedModulesFor(f, 'smtp').length > 0).map((f) => f.name);
    expect(installed).toEqual(FUNCTIONS.filter((f) => f.grants.sendsMail).map((f) => f.name));
  });

  it("bundles every route's schemas (functions/route-schemas.ts) in the openapi function alone", () => {
    const withRouteSchemas = FUNCTIONS.filter((f) =>
      Object.keys(bundles.get(f.name)?.meta.inputs ?? {}).some((input) =>
        input.endsWith('functions/route-schemas.ts'),
      ),
    ).map((f) => f.name);
    expect(withRouteSchemas).toEqual(['openapi']);
  });

  it("carries the deployment's mail transport alone: Secrets Manager by SMTP, nodemailer installed beside, the SES client by SES", async () => {
    const mailers = FUNCTIONS.filter((f) => f.grants.sendsMail);
    expect(mailers.map((f) => f.name)).toContain('reviews');
    /** kB of output of each mail package. */
    const carried = (meta: Metafile) => {
      const kb: Record<string, number> = {};
      for (const output of Object.values(meta.outputs)) {
        for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
          const pkg = packageOf(input);
          if (
            pkg === 'nodemailer' ||
            pkg === '@aws-sdk/client-secrets-manager' ||
            pkg === '@aws-sdk/client-sesv2'
          )
            kb[pkg] = (kb[pkg] ?? 0) + Math.round(bytesInOutput / 1000);
        }
      }
      return kb;
    };
    for (const spec of mailers) {
      // `bundles` (above) are built for a deployment that mails by SMTP, the China regions' default.
      const smtp = carried(bundles.get(spec.name)?.meta as Metafile);
      expect(Object.keys(smtp).sort(), spec.name).toEqual(['@aws-sdk/client-secrets-manager']);
      // nodemailer is imported on the first mail from the package installed beside the bundle.
      const imported = Object.values(bundles.get(spec.name)?.meta.outputs ?? {}).flatMap((o) =>
        o.imports.filter((i) => i.external && i.path.startsWith('nodemailer')).map((i) => i.kind),
      );
      expect(imported, spec.name).toEqual(['dynamic-import', 'dynamic-import']);
      expect(installedModulesFor(spec, 'smtp'), spec.name).toEqual(['nodemailer']);
      expect(installedModulesFor(spec, 'ses'), spec.name).toEqual([]);
      const ses = carried(
        await bundleFunction(spec, join(outdir, 'ses', spec.name, 'index.mjs'), undefined, 'ses'),
      );
      // None of nodemailer: the SMTP transport imports it on the first send, inside the branch
      // esbuild drops. (Imported statically, its modules' top-level tables stayed, ~25 kB: nodemailer
      // declares no `sideEffects: false`.)
      expect(Object.keys(ses).sort(), spec.name).toEqual(['@aws-sdk/client-sesv2']);
    }
  }, 120_000);

  it('keeps docx, exceljs, pdf-lib and the image decoders out of every other function', () => {
    const leaks = FUNCTIONS.filter((f) => !(f.name in DOCUMENT_FUNCTIONS)).flatMap((f) =>
      DOCUMENT_LIBRARIES.filter((lib) => bundles.get(f.name)?.packages.has(lib)).map(
        (lib) => `${f.name}: ${lib}`,
      ),
    );
    expect(leaks).toEqual([]);
  });

  it('bundles one copy of each SDK package: the client and the presigners of one release', () => {
    const twice = [...bundles].flatMap(([name, b]) =>
      [...sdkCopies(b.meta)].filter(([, paths]) => paths.size > 1).map(([sdk]) => `${name}: ${sdk}`),
    );
    expect(twice).toEqual([]);
    const uploads = bundles.get('uploads')?.kept ?? new Set();
    for (const sdk of ['@aws-sdk/client-s3', '@aws-sdk/s3-presigned-post']) expect(uploads).toContain(sdk);
  });

  it("takes every SDK package the runtime provides from the runtime where a function takes the runtime's SDK", () => {
    const misplaced = FUNCTIONS.flatMap((f) => {
      const kept = bundles.get(f.name)?.kept ?? new Set();
      return sdkFromRuntime(f)
        ? RUNTIME_SDK_PACKAGES.filter((p) => kept.has(p)).map((p) => `${f.name} bundles ${p}`)
        : [];
    });
    expect(misplaced).toEqual([]);
    expect(RUNTIME_SDK_PACKAGES).toContain('@aws-sdk/s3-request-presigner');
  });

  it("takes the runtime's SDK only where bundling it would exceed the ceiling (the list only shrinks)", async () => {
    // Every function bundles its SDK since a bundle carries the deployment's mail transport alone.
    expect(FUNCTIONS.filter(sdkFromRuntime).map((f) => f.name)).toEqual(Object.keys(RUNTIME_SDK_FUNCTIONS));
    expect(Object.keys(RUNTIME_SDK_FUNCTIONS)).toEqual([]);
    for (const name of ['reviews', 'campaign-steps'])
      expect(bundles.get(name)?.kept).toContain('@aws-sdk/client-s3');
    const fitting: string[] = [];
    for (const spec of FUNCTIONS.filter(sdkFromRuntime)) {
      const outfile = join(outdir, 'sdk-inside', spec.name, 'index.mjs');
      await bundleFunction(spec, outfile, 'bundled');
      if (statSync(outfile).size <= BUNDLE_CEILING_BYTES)
        fitting.push(`${spec.name} ${statSync(outfile).size} bytes`);
    }
    expect(fitting).toEqual([]);
  }, 60_000);

  it("bundles Lambda's credentials alone, not the SDK's whole chain (SSO, profiles, nested clients)", () => {
    const chain = FUNCTIONS.flatMap((f) =>
      ['@aws-sdk/nested-clients', '@aws-sdk/credential-provider-node', '@aws-sdk/credential-provider-sso']
        .filter((p) => bundles.get(f.name)?.packages.has(p))
        .map((p) => `${f.name}: ${p}`),
    );
    expect(chain).toEqual([]);
    expect(bundles.get('sessions')?.kept).toContain('@aws-sdk/credential-provider-env');
  });

  it('bundles only the SDK clients a function calls', () => {
    const clients = (name: string) =>
      [...(bundles.get(name)?.kept ?? [])].filter((p) => p.startsWith('@aws-sdk/client-')).sort();
    expect(clients('sessions')).toEqual(['@aws-sdk/client-dynamodb']);
    expect(clients('not-found')).toEqual([]);
    expect(clients('health')).toEqual([
      '@aws-sdk/client-dynamodb',
      '@aws-sdk/client-s3',
      '@aws-sdk/client-sesv2',
      '@aws-sdk/client-sfn',
    ]);
  });

  it('bundles the S3 client only where the route table grants S3 (publishing, the uploads bucket, the health probe)', () => {
    // A part wired for a use case's type but never allowed (IAM) cost every cold start its client:
    // the await and pipeline tasks carried S3 for the public files only campaign jobs publish.
    const s3 = FUNCTIONS.filter((f) => bundles.get(f.name)?.kept.has('@aws-sdk/client-s3')).map(
      (f) => f.name,
    );
    const granted = FUNCTIONS.filter(
      (f) => f.grants.publishes || f.grants.uploads || f.grants.probesHealth,
    ).map((f) => f.name);
    expect(s3.filter((name) => !granted.includes(name))).toEqual([]);
    expect(s3).toContain('campaign-job');
  });

  it('exempts only functions that exist (the package job is a task, not an API handler)', () => {
    for (const name of Object.keys(DOCUMENT_FUNCTIONS)) {
      expect(FUNCTIONS.map((f) => f.name)).toContain(name);
    }
  });
});
