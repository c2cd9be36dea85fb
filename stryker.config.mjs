// Mutation testing (npm run test:mutation): mutants of the rules and use cases, killed by the fast
// unit tier only (vitest.stryker.config.ts: test/unit, no Java, no web build). On demand, not in CI.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.stryker.config.ts' },
  // The TypeScript checker discards mutants that do not compile before any test runs. On 2 cores it
  // took one of the two processes and was the bottleneck (measured: ~4 mutants a minute with it,
  // ~20 without), so it runs on request: STRYKER_TYPECHECK=1 npm run test:mutation. Without it a
  // mutant that would not compile still runs (vitest strips types) and is killed or survives on
  // what it does.
  checkers: process.env.STRYKER_TYPECHECK === '1' ? ['typescript'] : [],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: 'perTest',
  concurrency: 2,
  mutate: ['functions/rules/**/*.ts', 'functions/use-cases/**/*.ts', '!**/*.d.ts'],
  reporters: ['html', 'clear-text', 'progress'],
  htmlReporter: { fileName: 'test-artifacts/mutation/index.html' },
  tempDirName: 'test-artifacts/.stryker-tmp',
  // Results are kept between runs (test-artifacts/mutation/incremental.json): a mutant is run again
  // only when its code or the tests that reach it changed, and a run narrowed with --mutate keeps the
  // other files' earlier results, so the folders can be measured a part at a time on a busy machine.
  incremental: true,
  incrementalFile: 'test-artifacts/mutation/incremental.json',
  // Static mutants (module-level zod schemas, message tables, constants) are evaluated at import, so
  // each would need the whole unit tier (~15 s) instead of only the tests that cover it: 1,380 of the
  // rules' 3,374 mutants, 83 % of the run's time on 2 cores. They are reported as ignored, not counted.
  ignoreStatic: true,
  // The sandbox needs the code and the unit tests only: not the web build, browser tests, local cloud
  // data or earlier reports (other runs rewrite web/dist while this one copies it). The web app's
  // sources stay: unit tests read its pure parts (the round form's draft, the error wording).
  ignorePatterns: [
    '/web/dist',
    'test/e2e',
    'test/integration',
    'test/infra',
    'test-artifacts',
    '.laurel',
    'cdk.out',
    '.ci',
  ],
  timeoutMS: 10000,
};
