/**
 * How every Lambda function of FUNCTIONS is bundled: one set of esbuild options, read by the CDK
 * (infra/stacks/lambdas.ts, through NodejsFunction) and by the bundle measurement
 * (scripts/bundle-sizes.ts, through esbuild's API), so what is measured is what is deployed.
 */

/**
 * The AWS SDK packages the handlers import, taken from the Lambda runtime instead of bundled.
 *
 * Lambda's Node.js 18+ runtimes ship AWS SDK for JavaScript v3 in /var/runtime/node_modules — the
 * service clients (client-dynamodb, client-s3, client-sfn, client-sesv2, client-secrets-manager —
 * the SMTP relay's secret where mail goes over SMTP) and the SDK's own
 * helper packages built from the same monorepo release (lib-dynamodb, s3-request-presigner,
 * s3-presigned-post); NodejsFunction externalizes `@aws-sdk/*` by default on these runtimes for
 * that reason. Bundled, these clients were ~560 KB of every function's ~700 KB (health: 688 KB
 * with them, 127 KB without), far over the budget below.
 *
 * The price, twice. In AWS the SDK release is the runtime's, not the one pinned in package.json
 * that the local cloud and every test use; the handlers use only long-stable SDK APIs (commands,
 * the document client, presigned GET and POST). And a cold start loads the SDK's CommonJS
 * packages whole instead of a tree-shaken copy: measured here (scripts/bundle-sizes.ts, Node 20)
 * importing the health bundle costs about twice the CPU it did with the SDK inside. A handler
 * builds only the clients it uses (functions/adapters/aws-clients.ts builds each on first use), but
 * still imports the modules of all five: importing only those it uses is the lever left for that.
 *
 * The seven first or none (client-secrets-manager is on its own): the two S3 presigners read the S3 client's resolved configuration
 * (endpoint, region, credentials), so a bundled presigner next to the runtime's client (or the
 * reverse) mixes two SDK releases inside one call — the known cause of "A region must be set"
 * from createPresignedPost (aws/aws-lambda-base-images#115). A package not listed here is
 * bundled; add an @aws-sdk package here only once it is known to be in the runtime.
 */
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
  external: RUNTIME_SDK_PACKAGES,
} as const;

/**
 * Size limit for an API handler's minified bundle, source map excluded (issue #7). 400 KB since
 * past-honouree matching reads names across traditional and simplified script (opencc-js, ~85 KB
 * minified, in every function that checks or shows a nominee's name); the cold-start target of
 * the cost issue (import ≤ 3 × bare node, bundles ≤ 1 MB) is what bounds it from here.
 */
export const API_BUNDLE_BUDGET_BYTES = 400_000;

/**
 * The API functions exempt from that limit, and why: each reads or writes documents with a
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
 * The API functions that send mail (their route-table entry has `sendsMail`: invitations and the
 * screening notice) bundle nodemailer, the SMTP transport the China regions need (~240 KB
 * minified, with its own MIME and TLS code): their limit is this one instead. No other function
 * bundles it (test/infra/bundle.test.ts checks both). 700 KB since the campaign steps (which mail
 * the forwarding, publicity and release notices) passed 600 KB with the society's hand-off, quota
 * and consent rules and the name search key: nodemailer ~242 KB, zod ~104 KB, the rules ~63 KB,
 * opencc-js ~49 KB, the route table ~28 KB. The cost issue's 1 MB stays the ceiling.
 */
export const MAIL_API_BUNDLE_BUDGET_BYTES = 700_000;

/** Packages that only the functions that send mail may bundle. */
export const MAIL_LIBRARIES = ['nodemailer'] as const;

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
