import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeExecutionCommand, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../infra/local/cloud.js';
import type { ApiClient } from '../support/api-client.js';
import { opsLink, signedIn } from '../support/people.js';
import { executionArn, LocalCloudSeeder } from '../support/seed.js';
import { putSeeded, seededNomination } from '../support/seeded.js';

/**
 * Operations read to the end and restart once: the executions list past its first page (100 a
 * page), an execution's history page by page to its end, and a restart sent twice — the second
 * answers the first's execution (200), never a second restart and never a 500.
 */

const RUNNING = 120;
const STATE_MACHINE = 'arn:aws-cn:states:cn-north-1:000000000000:stateMachine:laurel-nomination';
const dataDir = mkdtempSync(join(tmpdir(), 'laurel-ops-paging-'));
let cloud: LocalCloud;
let seeder: LocalCloudSeeder;
let ops: ApiClient;
const ids = Array.from({ length: RUNNING }, (_, i) => `n-opspage${String(i).padStart(4, '0')}`);

interface Row {
  name: string;
  status: string;
  waitingIn: string | null;
}

beforeAll(async () => {
  cloud = await startLocalCloud({ dataDir, port: 0 });
  seeder = new LocalCloudSeeder(cloud);
  ops = await signedIn(cloud, await opsLink(cloud));
  // Submitted nominations put straight into the store, each with its execution: all wait for screening.
  const at = '2025-02-01T00:00:00.000Z';
  for (const id of ids) {
    await putSeeded(
      seeder.store,
      seededNomination({
        id,
        campaignId: 'cast-2024',
        unitId: 'prov-ops',
        unitName: '运维测试省科协',
        category: 'volunteer',
        status: 'submitted',
        at,
      }),
    );
    await seeder.sfn.send(
      new StartExecutionCommand({
        stateMachineArn: STATE_MACHINE,
        name: id,
        input: JSON.stringify({ nominationId: id }),
      }),
    );
  }
  for (const id of ids) await seeder.waitingIn(id, 'screening', 60_000);
}, 240_000);

afterAll(async () => {
  seeder?.destroy();
  await cloud?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('operations page to the end and restart once', () => {
  it('lists the running executions past the first page, each once', async () => {
    const seen: Row[] = [];
    let nextToken: string | null = null;
    let pages = 0;
    do {
      const query: string = nextToken ? `&nextToken=${encodeURIComponent(nextToken)}` : '';
      const page = await ops.call<{ executions: Row[]; nextToken: string | null }>(
        'GET',
        `/api/ops/executions?status=RUNNING${query}`,
      );
      expect(page.status).toBe(200);
      expect(page.body.executions.length).toBeLessThanOrEqual(100);
      seen.push(...page.body.executions);
      nextToken = page.body.nextToken;
      pages += 1;
    } while (nextToken);
    expect(pages).toBeGreaterThan(1);
    const ours = seen.filter((row) => ids.includes(row.name));
    expect(ours).toHaveLength(RUNNING);
    expect(new Set(ours.map((row) => row.name)).size).toBe(RUNNING);
    expect(ours.every((row) => row.waitingIn === 'screening')).toBe(true);

    const bad = await ops.call<{ error: { code: string } }>(
      'GET',
      '/api/ops/executions?nextToken=not-a-cursor',
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('INVALID_CURSOR');
  }, 60_000);

  it('reads a history page by page to its end, and refuses a cursor it did not give', async () => {
    const id = ids[0] as string;
    const first = await ops.call<{ events: { id: number; type: string }[]; nextToken: string | null }>(
      'GET',
      `/api/ops/executions/${id}/history`,
    );
    expect(first.status).toBe(200);
    expect(first.body.events[0]?.type).toBe('ExecutionStarted');
    // A waiting execution's history is short: one page, its cursor null.
    expect(first.body.nextToken).toBeNull();
    expect(first.body.events.map((e) => e.id)).toEqual(first.body.events.map((_, i) => i + 1));

    const bad = await ops.call<{ error: { code: string } }>(
      'GET',
      `/api/ops/executions/${id}/history?nextToken=not-a-cursor`,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('INVALID_CURSOR');
  }, 30_000);

  it('restarts a stopped execution once: a second restart answers 200 with the same execution', async () => {
    const id = ids[1] as string;
    await seeder.sfn.send(new StopExecutionCommand({ executionArn: executionArn(id) }));
    const first = await ops.call<{ executionArn: string; restarted: boolean }>(
      'POST',
      `/api/ops/executions/${id}/restart`,
    );
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ executionArn: executionArn(`${id}-r1`), restarted: true });
    const again = await ops.call<{ executionArn: string; restarted: boolean }>(
      'POST',
      `/api/ops/executions/${id}/restart`,
    );
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ executionArn: executionArn(`${id}-r1`), restarted: false });

    // The restart ended (stopped too): restarting the original still answers it, not a 500.
    await seeder.sfn.send(new StopExecutionCommand({ executionArn: executionArn(`${id}-r1`) }));
    const ended = await ops.call('POST', `/api/ops/executions/${id}/restart`);
    expect(ended.status).toBe(200);
    expect(ended.body).toEqual({ executionArn: executionArn(`${id}-r1`), restarted: false });

    // Two at once on another stopped one: both answer the one restart between them (Step Functions
    // answers a repeated start of a running execution with that execution), and no second follows.
    const other = ids[2] as string;
    await seeder.sfn.send(new StopExecutionCommand({ executionArn: executionArn(other) }));
    const both = await Promise.all([
      ops.call('POST', `/api/ops/executions/${other}/restart`),
      ops.call('POST', `/api/ops/executions/${other}/restart`),
    ]);
    for (const answer of both) {
      expect([200, 201]).toContain(answer.status);
      expect(answer.body).toMatchObject({ executionArn: executionArn(`${other}-r1`) });
    }
    await expect(
      seeder.sfn.send(new DescribeExecutionCommand({ executionArn: executionArn(`${other}-r2`) })),
    ).rejects.toMatchObject({ name: 'ExecutionDoesNotExist' });
  }, 60_000);
});
