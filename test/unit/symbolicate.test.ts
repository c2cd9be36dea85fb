import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLING, LAMBDA_NODE_OPTIONS } from '../../infra/bundling.js';
import { symbolicate } from '../../scripts/symbolicate.js';

/**
 * The functions run without `--enable-source-maps` (infra/bundling.ts LAMBDA_NODE_OPTIONS), so a
 * trace in their logs names minified positions; the source map deployed beside the bundle names
 * the sources again.
 */
describe('a stack trace from a bundled function', () => {
  const dir = mkdtempSync(join(tmpdir(), 'laurel-symbolicate-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('points into the minified bundle, and the source map deployed beside it names the source line', async () => {
    expect(LAMBDA_NODE_OPTIONS).not.toContain('--enable-source-maps');
    const source = join(dir, 'scoring-step.ts');
    writeFileSync(
      source,
      [
        'export function aggregateScores(scores: number[]): number {',
        '  if (scores.length === 0) throw new Error("no scores");',
        '  return scores.reduce((a, b) => a + b, 0);',
        '}',
        'export const handler = () => aggregateScores([]);',
        '',
      ].join('\n'),
    );
    const bundle = join(dir, 'index.mjs');
    await esbuild.build({
      ...BUNDLING,
      mainFields: [...BUNDLING.mainFields],
      entryPoints: [source],
      outfile: bundle,
    });
    const script = `const m = await import(${JSON.stringify(`file://${bundle}`)}); try { m.handler(); } catch (e) { process.stdout.write(e.stack); }`;
    const trace = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      env: { PATH: process.env.PATH, NODE_OPTIONS: LAMBDA_NODE_OPTIONS },
      encoding: 'utf8',
    });
    expect(trace).toMatch(/index\.mjs:\d+:\d+/);
    expect(trace).not.toContain('scoring-step.ts');

    const named = symbolicate(trace, JSON.parse(readFileSync(`${bundle}.map`, 'utf8')));
    expect(named).toMatch(/index\.mjs:\d+:\d+ \[[^\]]*scoring-step\.ts:2:\d+/);
  });
});
