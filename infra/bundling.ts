/**
 * How every Lambda function of FUNCTIONS is bundled: one set of esbuild options, read by the CDK
 * (infra/stacks/lambdas.ts, through NodejsFunction) and by the bundle measurement
 * (scripts/bundle-sizes.ts, through esbuild's API), so what is measured is what is deployed.
 */

import { join } from 'node:path';
import type { FunctionSpec } from '../functions/routes.js';

/**
 * Where a function's AWS SDK comes from: bundled, tree-shaken from its ES module builds
 * (`mainFields: ['module', …]`), or left external for Lambda's Node.js runtime to provide from
 * /var/runtime/node_modules (NodejsFunction's default). scripts/bundle-sizes.ts measures every
 * function both ways and prints both.
 *
 * Bundled, the SDK halves what a cold start costs: the runtime's copy is loaded as CommonJS
 * packages whole, every command of every client imported, where a bundle holds the clients the
 * function calls (functions/adapters/aws-clients.ts has one factory per client, so a function
 * that never calls S3 bundles no S3 client) and the commands it sends. Importing the reviews
 * bundle cost 136 ms of CPU with the SDK inside and 332 ms with it external (Node 22, medians of
 * 5 runs, a bare `node` 19 ms, on a loaded machine).
 *
 * So every function bundles its SDK but those of RUNTIME_SDK_FUNCTIONS, which would then exceed
 * the 1 MB ceiling (test/infra/bundle.test.ts checks that each still would: the list only
 * shrinks). None does since a bundle carries one mail transport, the deployment's (MAIL_TRANSPORT
 * below), and since no function bundles another's route schemas: reviews and campaign-steps, which
 * took the runtime's SDK at 1,077–1,080 kB, bundle it in ~990 kB with the SMTP transport (~770 kB
 * since nodemailer is installed beside the bundle: MAIL_LIBRARIES).
 *
 * Either way a function's SDK packages all come from one place, never part from each: the two
 * S3 presigners read the S3 client's resolved configuration (endpoint, region, credentials), and
 * a presigner of one release beside a client of another inside one call is the known cause of
 * "A region must be set" from createPresignedPost (aws/aws-lambda-base-images#115). Bundled, the
 * client, lib-dynamodb and both presigners are the release pinned in package-lock.json, one copy
 * each (test/infra/bundle.test.ts checks); external, all are the runtime's, whose release may
 * differ from the one the local cloud and the tests use (the handlers use only long-stable APIs:
 * commands, the document client, presigned GET and POST).
 */
export const RUNTIME_SDK_FUNCTIONS: Readonly<Record<string, string>> = {};

export const sdkFromRuntime = (spec: Pick<FunctionSpec, 'name'>): boolean =>
  spec.name in RUNTIME_SDK_FUNCTIONS;

/** The SDK packages a function that takes the runtime's SDK leaves external: all it imports. */
export const RUNTIME_SDK_PACKAGES = [
  '@aws-sdk/client-dynamodb',
  '@aws-sdk/lib-dynamodb',
  '@aws-sdk/client-s3',
  '@aws-sdk/s3-presigned-post',
  '@aws-sdk/s3-request-presigner',
  '@aws-sdk/client-sfn',
  '@aws-sdk/client-sesv2',
  '@aws-sdk/client-secrets-manager',
] as const;

/**
 * ESM output needs `require` for the CommonJS dependencies that load Node built-ins (busboy,
 * exceljs…): esbuild's ESM bundle otherwise throws "Dynamic require of … is not supported".
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __laurelCreateRequire } from 'node:module'; const require = __laurelCreateRequire(import.meta.url);";

/**
 * Node built-ins the bundles take as CommonJS modules (`process.getBuiltinModule`, through the
 * shims in infra/builtins/) instead of importing them as ES modules. Node builds an ES module
 * facade of a built-in by reading every export, and node:http's include the lazy `WebSocket`,
 * `CloseEvent` and `MessageEvent` getters that load undici: importing node:http and node:https as
 * ES modules cost 51 ms of CPU on this machine against 27 ms taken as CommonJS (a bare `node`
 * 20 ms), in every function whose AWS SDK client imports them. Each name is aliased with and
 * without its `node:` prefix; the shims name the module by a call, which esbuild leaves as it is.
 */
export const BUILTIN_ALIASES: Readonly<Record<string, string>> = Object.fromEntries(
  ['http', 'https'].flatMap((name) => {
    const shim = join(import.meta.dirname, 'builtins', `${name}.cjs`);
    return [
      [name, shim],
      [`node:${name}`, shim],
    ];
  }),
);

/**
 * The AWS SDK clients' default credential chain, as the bundles take it: the environment's
 * credentials, which Lambda always sets from the execution role (infra/lambda-credentials.ts).
 * The whole chain put ~100 KB into every bundle that carries the SDK (@aws-sdk/nested-clients,
 * the SSO, profile, process, web-identity and metadata providers) that a Lambda never runs.
 */
export const CREDENTIAL_CHAIN_ALIAS: Readonly<Record<string, string>> = {
  '@aws-sdk/credential-provider-node': join(import.meta.dirname, 'lambda-credentials.ts'),
};

/**
 * The esbuild options, in esbuild's own API spelling (`esbuild.build({ ...BUNDLING, … })`).
 * `charset: 'utf8'` keeps Chinese text (campaigns, forms, messages, the OpenCC dictionaries) as
 * UTF-8 instead of `\uXXXX` escapes, which doubled its size; Node reads ES modules as UTF-8.
 */
export const BUNDLING = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  mainFields: ['module', 'main'],
  banner: { js: ESM_REQUIRE_BANNER },
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  charset: 'utf8',
  alias: { ...BUILTIN_ALIASES, ...CREDENTIAL_CHAIN_ALIAS },
} as const;

/**
 * NODE_OPTIONS of every function (infra/stacks/lambdas.ts), and of every import that
 * scripts/bundle-sizes.ts times, so that the bench measures a cold start as Lambda runs it: none.
 *
 * `--enable-source-maps` was set, for stack traces in CloudWatch that name the sources. It made
 * Node read and parse each bundle's source map (~3 MB of JSON) at every cold start: importing
 * campaign-steps cost 316 ms of CPU without it and 401 ms with it (Node 22, medians of 9, a bare
 * `node` 89 ms, on a loaded machine; 14 % more on a quieter run), where the target is 3 × a bare
 * `node`. esbuild's `keepNames`, which would leave readable names in the traces instead, cost
 * more still (440 ms: a `__name` call per function at import, and 46 kB). So the traces name the
 * bundle's minified lines and columns, and the source maps go with the code all the same
 * (`sourcemap` above: index.mjs.map beside index.mjs in every function's package), from which
 * `npx tsx scripts/symbolicate.ts index.mjs.map < trace.txt` names the source of each frame.
 */
export const LAMBDA_NODE_OPTIONS: string = '';

/** A deployment's mail transport: the stack's `mail` setting, LAUREL_MAIL_TRANSPORT on every function. */
export type MailTransport = 'ses' | 'smtp';

/**
 * The transport a bundle is measured with where none is given: SMTP, the China regions' default
 * and the local cloud's (the Secrets Manager client in the bundle, nodemailer installed beside it,
 * against the SES client's ~65 kB).
 */
export const MEASURED_MAIL_TRANSPORT: MailTransport = 'smtp';

/**
 * The options of one function: BUNDLING, with the SDK external where it takes the runtime's, and
 * the deployment's mail transport defined, so that the functions that send mail bundle that one
 * alone (functions/wiring/mail.ts: esbuild drops the other branch and all it imports). By SMTP,
 * nodemailer stays external, installed beside the bundle (installedModulesFor). `sdk` overrides
 * the SDK's place, for measuring the other way only.
 */
export function bundlingFor(
  spec: Pick<FunctionSpec, 'name'>,
  sdk: 'bundled' | 'runtime' = sdkFromRuntime(spec) ? 'runtime' : 'bundled',
  mail: MailTransport = MEASURED_MAIL_TRANSPORT,
) {
  return {
    ...BUNDLING,
    external: [
      ...(sdk === 'runtime' ? RUNTIME_SDK_PACKAGES : []),
      ...(mail === 'smtp' ? MAIL_LIBRARIES : []),
    ],
    define: { 'process.env.LAUREL_BUNDLED_MAIL_TRANSPORT': JSON.stringify(mail) },
  };
}

/**
 * The one size limit of every function's minified bundle, source map excluded, but the document
 * functions': 1 MB, the cost issue's ceiling. It took over from the API handlers' 400 KB and the
 * mailing functions' 700 KB when the AWS SDK came inside the bundles (see above), and it bounds
 * what a cold start parses: the SDK clients a function calls (~300–500 KB with @smithy/core),
 * zod (~105 KB), opencc-js (~50 KB), the rules and the route table (nodemailer, which the
 * functions that send mail by SMTP load on their first mail, is installed beside: MAIL_LIBRARIES).
 */
export const BUNDLE_CEILING_BYTES = 1_000_000;

/**
 * The functions exempt from that limit, and why: each reads or writes documents with a
 * library that alone is most of the budget, so they have functions of their own and no other
 * handler bundles these libraries (test/infra/bundle.test.ts checks both).
 */
export const DOCUMENT_FUNCTIONS: Readonly<Record<string, string>> = {
  attachments:
    'inspects uploads: pdf-lib (~225 KB, plus the ~125 KB of standard-font metrics and pako it always imports) and the PNG and JPEG decoders',
  'form-docx': 'renders the form as Word: docx (~230 KB after tree-shaking)',
  'package-job':
    'builds the forwarding package: docx, exceljs (~250 KB, with jszip, unzipper, archiver…), zip-stream and the S3 multipart upload (@aws-sdk/lib-storage)',
};

/**
 * The SMTP transport's library, which the functions that send mail (their route-table entry has
 * `sendsMail`) need where the deployment mails by SMTP, the transport the China regions need: no
 * function bundles it (test/infra/bundle.test.ts checks). It is ~220 kB minified, with its own
 * MIME and TLS code, and is loaded on a container's first mail alone (functions/adapters/smtp-mailer.ts);
 * inside the bundle, every cold start still parsed it: importing reviews cost ~30 ms of CPU more
 * with it than without (median of 11 interleaved runs, 275 against 246 ms, a bare `node` 81 ms, on
 * a loaded machine), and it was a fifth of the mailing functions' bytes. So it stays external and
 * NodejsFunction installs it beside the bundle (node_modules/, the release package-lock.json pins),
 * where the first mail imports its ES modules.
 */
export const MAIL_LIBRARIES = ['nodemailer'] as const;

/** The packages installed beside a function's bundle instead of in it (NodejsFunction's `nodeModules`). */
export const installedModulesFor = (spec: Pick<FunctionSpec, 'grants'>, mail: MailTransport): string[] =>
  mail === 'smtp' && spec.grants.sendsMail ? [...MAIL_LIBRARIES] : [];

/** Packages that only DOCUMENT_FUNCTIONS may bundle. */
export const DOCUMENT_LIBRARIES = [
  'docx',
  'exceljs',
  'pdf-lib',
  '@pdf-lib/standard-fonts',
  'pngjs',
  'jpeg-js',
  'jszip',
] as const;
