/**
 * npm run test:mutation:summary — the mutation score per folder (rules, use cases) from Stryker's
 * kept results (test-artifacts/mutation/incremental.json), which gather every run, including runs
 * narrowed with --mutate. Stryker's own table lists files; the acceptance is per folder.
 * Metrics by mutation-testing-metrics, the library Stryker's reports use.
 */
import { readFileSync } from 'node:fs';
import { calculateMetrics } from 'mutation-testing-metrics';

const REPORT = process.argv[2] ?? 'test-artifacts/mutation/incremental.json';
const FOLDERS = ['functions/rules/', 'functions/use-cases/'];

const report = JSON.parse(readFileSync(REPORT, 'utf8')) as { files: Parameters<typeof calculateMetrics>[0] };
const percent = (n: number) => (Number.isNaN(n) ? '  n/a' : n.toFixed(2).padStart(6));

for (const folder of FOLDERS) {
  const files = Object.fromEntries(Object.entries(report.files).filter(([name]) => name.startsWith(folder)));
  const { metrics } = calculateMetrics(files);
  console.log(
    `${folder.padEnd(22)} score ${percent(metrics.mutationScore)} %  (covered ${percent(metrics.mutationScoreBasedOnCoveredCode)} %)  ` +
      `killed ${metrics.killed}, timed out ${metrics.timeout}, survived ${metrics.survived}, ` +
      `no coverage ${metrics.noCoverage}, ignored ${metrics.ignored}; ${Object.keys(files).length} files`,
  );
}
