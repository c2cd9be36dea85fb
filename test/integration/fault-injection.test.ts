import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCampaignState } from '../support/campaign-state.js';

/**
 * The demo campaign run twice — undisturbed, and with faults AWS really throws: 20 % of task
 * invocations failing (Lambda refusing them, or the function timing out or dying after it ran with
 * its answer lost) and 5 % of DynamoDB writes refused (transactions cancelled by a
 * TransactionConflict, throttles) — must end the same: every nomination's status, the released
 * lists, the quota ledgers (and each equal to a recount), each e-mail once, the audit events,
 * the reviews (no nomination without its experts) and every execution's path. Grants are enforced
 * in both runs, as always.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const parent = mkdtempSync(join(tmpdir(), 'laurel-faults-'));
afterAll(() => rmSync(parent, { recursive: true, force: true }));

function runDemo(
  dataDir: string,
  faults: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn('npm', ['run', '--silent', 'demo'], {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', LAUREL_DATA_DIR: dataDir, ...faults },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => {
      output += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      output += c.toString();
    });
    child.on('exit', (code) => done({ code, output }));
  });
}

describe('fault injection', () => {
  it('ends the demo campaign with faults on exactly as without them', async () => {
    const baselineDir = join(parent, 'baseline');
    const faultyDir = join(parent, 'faulty');
    const baseline = await runDemo(baselineDir, {});
    expect(baseline.code, baseline.output.slice(-3000)).toBe(0);
    const faulty = await runDemo(faultyDir, {
      LAUREL_FAULT_RATE: '0.2',
      LAUREL_DYNAMODB_FAULT_RATE: '0.05',
      LAUREL_FAULT_SEED: '42',
    });
    expect(faulty.code, faulty.output.slice(-3000)).toBe(0);
    expect(faulty.output.trim().split('\n').at(-1)).toBe('released: 13 nominations in 4 categories');

    // The faults happened, of every kind.
    const lambdaFaults = JSON.parse(readFileSync(join(faultyDir, 'faults.json'), 'utf8')) as {
      before: number;
      after: number;
    };
    const dynamoFaults = JSON.parse(readFileSync(join(faultyDir, 'dynamodb-faults.json'), 'utf8')) as {
      conflicts: number;
      throttles: number;
    };
    // A fifth of the task invocations fail, a callback step's only before it runs; the demo's 13
    // nominations give a handful of lost answers (4 on one run), so each kind is required and
    // the two together a fair share.
    console.log(`fault injection: ${JSON.stringify(lambdaFaults)}, DynamoDB ${JSON.stringify(dynamoFaults)}`);
    expect(lambdaFaults.before).toBeGreaterThan(0);
    expect(lambdaFaults.after).toBeGreaterThan(0);
    expect(lambdaFaults.before + lambdaFaults.after).toBeGreaterThan(10);
    expect(dynamoFaults.conflicts).toBeGreaterThan(5);
    expect(dynamoFaults.throttles).toBeGreaterThan(0);

    const expected = await readCampaignState(baselineDir);
    const actual = await readCampaignState(faultyDir);
    expect(Object.values(expected.executions).every((e) => e.startsWith('SUCCEEDED'))).toBe(true);
    expect(actual.nominations).toEqual(expected.nominations);
    expect(actual.released).toEqual(expected.released);
    expect(actual.quotas).toEqual(expected.quotas);
    expect(expected.quotaMismatches).toEqual([]);
    expect(actual.quotaMismatches).toEqual([]);
    // The same e-mails, each as often (a unit told of two releases gets two mails of one subject,
    // in both runs); a review request counts per nomination, as who is drawn moves with timing.
    expect(actual.mails).toEqual(expected.mails);
    expect(actual.repeatedReviewRequests).toEqual([]);
    expect(expected.repeatedReviewRequests).toEqual([]);
    expect(actual.audits).toEqual(expected.audits);
    expect(actual.reviews).toEqual(expected.reviews);
    expect(actual.executions).toEqual(expected.executions);
    // Every nomination that passed screening has its experts, and each expert reviewed.
    const screenedIn = Object.entries(actual.audits)
      .filter(([, actions]) => actions['screening:pass'])
      .map(([key]) => key);
    expect(screenedIn.length).toBeGreaterThan(0);
    for (const key of screenedIn) expect(actual.reviews[key], key).toMatch(/^(\d+) assigned, \1 reviewed$/);
  }, 900_000);
});
