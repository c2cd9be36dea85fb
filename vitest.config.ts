import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/build-web.ts'],
    // Unit tests are pure and fast; anything slower belongs to integration or bench.
    testTimeout: 10_000,
    reporters: ['default'],
    // Handlers log JSON through Powertools; tests assert on answers, not on log lines.
    env: { POWERTOOLS_LOG_LEVEL: 'SILENT' },
  },
});
