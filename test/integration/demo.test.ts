import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runScript } from '../support/run-script.js';

/**
 * `npm run demo` as a person runs it: both rounds through the HTTP API on a fresh local cloud,
 * ending with the release line. Runs on its own data folder and removes it.
 */

const parent = mkdtempSync(join(tmpdir(), 'laurel-demo-test-'));
const dataDir = join(parent, 'data');
const TIMEOUT_MS = 150_000;

afterAll(() => {
  rmSync(parent, { recursive: true, force: true });
});

const runDemo = () =>
  runScript(
    'npm',
    ['run', '--silent', 'demo'],
    { ...process.env, PORT: '0', LAUREL_DATA_DIR: dataDir },
    TIMEOUT_MS - 10_000,
  );

describe('npm run demo', () => {
  it(
    'runs both rounds to the release and says how many were released',
    async () => {
      const { code, stdout, stderr } = await runDemo();
      const output = `${stdout}\n${stderr}`;
      expect(code, output.slice(-4000)).toBe(0);

      const lines = stdout.trimEnd().split('\n');
      const last = lines.at(-1) ?? '';
      // The demo's campaign is fixed, so is its outcome (the same line fault-injection.test.ts expects).
      expect(last).toBe('released: 13 nominations in 4 categories');

      // What the summary promises: both rounds, the refusals, the package.
      expect(stdout).toContain('cacs-2024');
      expect(stdout).toContain('EntityTooSmall');
      expect(stdout).toContain('ATTACHMENT_TYPE_MISMATCH');
      expect(stdout).toContain('PUBLICITY_RUNNING');
      expect(stdout).toMatch(/cast-2024: \d+ nominations, \d+ entries/);

      // The folder it was given holds the run's data (afterAll removes it): the executions it ran.
      const executions = join(dataDir, 'stepfunctions/executions');
      expect(existsSync(executions)).toBe(true);
      expect(readdirSync(executions).filter((f) => f.endsWith('.json')).length).toBeGreaterThanOrEqual(13);
    },
    TIMEOUT_MS,
  );
});
