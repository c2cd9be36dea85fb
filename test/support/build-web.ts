import { build } from 'vite';

/**
 * Vitest global setup: builds the web UI once before any test file runs, so every local cloud
 * started by a test serves the current app from web/dist (as `npm start` does after its
 * `prestart` build) and no two test files race to write it.
 */
export default async function buildWeb(): Promise<void> {
  await build({ configFile: 'web/vite.config.ts', logLevel: 'warn' });
}
