import { defineConfig } from 'vitest/config';

/**
 * Three tiers, one process: `vitest run` (npm test) runs every project, `--project <name>` one.
 * Only the integration and end-to-end tiers start a local cloud that serves the web app, so only
 * they build it first (test/support/build-web.ts); the unit tier needs neither Java nor a network.
 */
const buildsWebApp = ['test/support/build-web.ts'];

export default defineConfig({
  test: {
    // Unit tests are pure and fast; anything slower belongs to integration or bench.
    testTimeout: 10_000,
    reporters: ['default'],
    // Handlers log JSON through Powertools; tests assert on answers, not on log lines.
    env: { POWERTOOLS_LOG_LEVEL: 'SILENT' },
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/infra/**/*.test.ts'],
          globalSetup: buildsWebApp,
        },
      },
      {
        extends: true,
        test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], globalSetup: buildsWebApp },
      },
    ],
  },
});
