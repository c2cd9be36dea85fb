import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CrashingClouds, type KillPoint, planKills } from '../../scripts/demo/crashes.js';
import { runDemo } from '../../scripts/demo.js';
import { readCampaignState } from '../support/campaign-state.js';

/**
 * Issue 7, crash recovery: the demo campaign (both 2024 rounds through the HTTP API) run twice —
 * once undisturbed, once with the local cloud killed by SIGKILL at three random points, one per
 * stage (submissions and uploads; screening and reviews; selection, publicity and release), each
 * time started again on the same data and port while the people carry on. Both runs must end in
 * the same state: every nomination's status, the released lists, the quota ledger, the mails
 * (recipient, subject, how many), the audit events per nomination, the objections, the reviews
 * and every execution's path and end.
 *
 * The kill points come from a seed: LAUREL_CRASH_SEED=<n> replays the choice of a failed run
 * (printed at the start). The moment of each kill within its request still depends on timing.
 */

const parent = mkdtempSync(join(tmpdir(), 'laurel-crash-'));
/** Both runs' data stay for a look when the test fails (their folder is named in the failure). */
let keep = false;
afterAll(() => {
  if (!keep) rmSync(parent, { recursive: true, force: true });
});

const TIMEOUT_MS = 900_000;

async function run(name: string, clouds: CrashingClouds) {
  const lines: string[] = [];
  const dataDir = join(parent, name);
  try {
    const outcome = await runDemo({
      dataDir,
      port: 0,
      startCloud: clouds.start,
      // Waits span restarts, which take seconds on a busy machine.
      waitTimeoutMs: 180_000,
      print: (line) => lines.push(line),
    });
    return { dataDir, outcome, lines };
  } catch (error) {
    if (error instanceof Error) error.message += `\n── ${name} run ──\n${lines.slice(-40).join('\n')}`;
    throw error;
  }
}

const describeKill = (p: KillPoint) =>
  `${p.stage} request #${p.ordinal} + ${p.delayMs} ms${p.nodeOnly ? ' (Node alone, Java left running)' : ''}`;

describe('crash recovery', () => {
  it(
    'ends the demo campaign killed three times (SIGKILL) exactly as a run without kills',
    async () => {
      keep = true;
      process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
      const seed = Number(process.env.LAUREL_CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
      const started = performance.now();

      // Undisturbed: the expected end, and how many requests each stage has.
      const observed = new CrashingClouds([]);
      const baseline = await run('baseline', observed);
      const plan = planKills(seed, observed.counts);
      console.log(
        `crash recovery: seed ${seed} (LAUREL_CRASH_SEED=${seed} replays it); data in ${parent} (kept if this fails); requests per stage ${JSON.stringify(observed.counts)}; kills planned: ${plan.map(describeKill).join('; ')}`,
      );

      const crashing = new CrashingClouds(plan, (line) => console.log(`crash recovery: ${line}`));
      const killed = await run('killed', crashing);
      expect(crashing.missed, 'every planned kill happened').toEqual([]);
      expect(crashing.kills).toHaveLength(3);
      expect(killed.outcome.released).toBe(baseline.outcome.released);

      const expected = await readCampaignState(baseline.dataDir);
      const actual = await readCampaignState(killed.dataDir);
      expect(expected.quotaMismatches).toEqual([]);
      expect(Object.values(expected.executions).every((e) => e.startsWith('SUCCEEDED'))).toBe(true);
      expect(actual.nominations).toEqual(expected.nominations);
      expect(actual.released).toEqual(expected.released);
      expect(actual.quotas).toEqual(expected.quotas);
      expect(actual.quotaMismatches).toEqual([]);
      expect(actual.executions).toEqual(expected.executions);
      expect(actual.audits).toEqual(expected.audits);
      expect(actual.objections).toEqual(expected.objections);
      expect(actual.reviews).toEqual(expected.reviews);
      expect(actual.mails).toEqual(expected.mails);
      expect(actual.repeatedReviewRequests).toEqual([]);
      keep = false;
      console.log(
        `crash recovery: seed ${seed}, both runs in ${((performance.now() - started) / 1000).toFixed(0)} s; kills: ${crashing.kills
          .map(
            (k) =>
              `${k.at.toFixed(1)} s ${k.request} (${describeKill(k)}), down ${(k.downMs / 1000).toFixed(1)} s`,
          )
          .join('; ')}`,
      );
    },
    TIMEOUT_MS,
  );
});
