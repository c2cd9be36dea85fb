import { defineConfig } from 'vitest/config';

/** The unit tier alone, for Stryker (stryker.config.mjs): pure, fast, no Java, no web build. */
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    testTimeout: 10_000,
    env: { POWERTOOLS_LOG_LEVEL: 'SILENT' },
  },
});
