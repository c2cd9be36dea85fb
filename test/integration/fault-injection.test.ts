import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import type { Nomination } from '../../functions/rules/nomination.js';
import { startDynamoDb } from '../../infra/local/dynamodb.js';
import { quotaRecount } from '../support/campaign-state.js';

/**
 * The demo campaign with 20 % of task invocations failing — before running, or after running with
 * the answer lost — still ends with every nomination where it should be, and with no e-mail, no
 * audit event and no quota slot counted twice.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const dataDir = mkdtempSync(join(tmpdir(), 'laurel-faults-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function runDemo(): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn('npm', ['run', '--silent', 'demo'], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: '0',
        LAUREL_DATA_DIR: dataDir,
        LAUREL_FAULT_RATE: '0.2',
        LAUREL_FAULT_SEED: '42',
      },
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
  it('ends the demo campaign right with 20 % of task invocations failing', async () => {
    const { code, output } = await runDemo();
    expect(code, output.slice(-3000)).toBe(0);
    expect(output.trim().split('\n').at(-1)).toBe('released: 13 nominations in 4 categories');
    const faults = JSON.parse(readFileSync(join(dataDir, 'faults.json'), 'utf8')) as {
      before: number;
      after: number;
    };
    expect(faults.before + faults.after).toBeGreaterThan(10);
    expect(faults.after).toBeGreaterThan(0);

    // No e-mail twice.
    const mails = readFileSync(join(dataDir, 'mail/outbox.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { to: string[]; subject: string; text: string });
    const keys = mails.map((m) => `${m.to.join()}|${m.subject}|${m.text}`);
    expect(new Set(keys).size).toBe(keys.length);

    const dynamo = await startDynamoDb({ dataDir: join(dataDir, 'dynamodb') });
    const documents = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        region: 'cn-north-1',
        endpoint: dynamo.endpoint,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
    );
    try {
      const items: Record<string, unknown>[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await documents.send(new ScanCommand({ TableName: 'laurel', ExclusiveStartKey }));
        items.push(...(page.Items ?? []));
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);

      // No audit event twice: the once-only actions appear at most once per nomination.
      const once = [
        'create',
        'submit',
        'screening:pass',
        'reviews-complete',
        'select',
        'not-select',
        'forward',
        'release',
        'release-notice',
      ];
      const audits = items
        .filter((i) => String(i.sk).startsWith('audit#'))
        .map((i) => i.data as { nominationId: string; action: string });
      // Each loop below checks what it found, so each must find something.
      for (const action of ['create', 'submit']) {
        expect(audits.filter((a) => a.action === action).length, action).toBeGreaterThan(0);
      }
      for (const action of once) {
        const ids = audits.filter((a) => a.action === action).map((a) => a.nominationId);
        expect(new Set(ids).size, action).toBe(ids.length);
      }
      const reviews = audits.filter((a) => a.action === 'review');
      const assignments = items.filter((i) => String(i.sk).startsWith('review#') && i.review);
      expect(reviews.length).toBe(assignments.length);
      expect(reviews.length).toBeGreaterThan(0);

      // The quota ledger equals a recount of the nominations holding a slot.
      const nominations = items
        .filter((i) => i.sk === 'item' && String(i.pk).startsWith('nomination#'))
        .map((i) => i.data as Nomination);
      const ledgers = items.filter((i) => String(i.pk).startsWith('quota#'));
      expect(ledgers.length).toBeGreaterThan(0);
      for (const ledger of ledgers) {
        expect(ledger.used, `${ledger.pk} ${ledger.sk}`).toBe(quotaRecount(nominations, ledger));
      }
      expect(nominations.filter((n) => n.status === 'released')).toHaveLength(13);
    } finally {
      documents.destroy();
      await dynamo.stop();
    }
  }, 240_000);
});
