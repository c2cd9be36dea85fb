import { defineConfig } from 'vitest/config';

/** The unit tier alone, for Stryker (stryker.config.mjs): pure, fast, no Java, no web build. */
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    // The two unit tests that mock a module to count what an import builds (opencc-js converters;
    // zod schemas, for the route table): in the shared module graph below, the modules are already
    // imported unmocked by the tests before them, so they fail the dry run and Stryker stops (and
    // a counting zod would leak into the others). They check import cost, not what a rule
    // answers; the unit tier (vitest.config.ts) runs them isolated as before.
    // And the audit-action wording check, which reads the functions' source text for `action:`
    // literals: in the sandbox that text is Stryker's instrumented copy, whose mutant switches put
    // other literals ('system', …) on the same lines, so its dry run fails; it kills no mutant.
    exclude: [
      'test/unit/import-cost.test.ts',
      'test/unit/route-table-import.test.ts',
      'test/unit/audit-actions.test.ts',
    ],
    testTimeout: 10_000,
    // One module graph for every mutant's run instead of importing each test file's modules again
    // (the use-case tests load the forms, the documents and both state machines): the mutants are
    // all compiled in and switched by Stryker, so nothing needs a fresh import. Measured on
    // nomination-status.ts (12 mutants): 1 min 15 s with this, 3 min 3 s without, the same result.
    // No other unit test mocks modules or globals, which a shared graph would leak.
    isolate: false,
    env: { POWERTOOLS_LOG_LEVEL: 'SILENT' },
  },
});
